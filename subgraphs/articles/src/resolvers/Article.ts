import { articleVisibility } from '../access';
import type { ArticleResolvers } from '../__generated__/resolvers-types';
import type { ArticlesContext } from '../context';
import type { ArticleRow } from '../db';
import { STATUS_DEFINITIONS } from '../domain';
import { servicesOf, type StoredCharges } from '../services/charges';
import { partyView } from '../services/parties';
import { officeReference } from '../services/references';

/** Whether the viewer sees this article's details (and its recipient). */
const visible = (article: ArticleRow, ctx: ArticlesContext) => articleVisibility(ctx.viewer, article);
/** A guarded field: its value for those who may see details, null for everyone else. */
const detail = <T>(article: ArticleRow, ctx: ArticlesContext, value: () => T): T | null => (visible(article, ctx).details ? value() : null);

export const Article: ArticleResolvers = {
  // The gateway resolves references in batches; the loader turns them into one query.
  __resolveReference: (reference, ctx) => ctx.loaders.articleByNumber.load(reference.articleNumber),
  statusDescription: (article) => STATUS_DEFINITIONS[article.status].wording,
  bookedAt: (article) => article.bookedAt.toISOString(),
  expectedDeliveryDate: (article) => article.expectedDeliveryDate.toISOString().slice(0, 10),
  bookingOffice: (article) => ({ id: article.bookingOfficeId }),
  currentOffice: (article) => officeReference(article.currentOfficeId),
  dimensionsCm: (article) =>
    article.lengthCm === null || article.widthCm === null || article.heightCm === null
      ? null
      : { lengthCm: article.lengthCm, widthCm: article.widthCm, heightCm: article.heightCm },
  events: (article, _, ctx) => ctx.loaders.eventsByArticle.load(article.articleNumber),
  sender: (article, _, ctx) => detail(article, ctx, () => partyView(article.sender, article.senderCustomerId)),
  recipient: (article, _, ctx) => (visible(article, ctx).recipient ? partyView(article.recipient, null) : null),
  charges: (article, _, ctx) => detail(article, ctx, () => article.charges as unknown as StoredCharges),
  services: (article, _, ctx) => detail(article, ctx, () => servicesOf(article.charges as unknown as StoredCharges)),
  declaredValuePaise: (article, _, ctx) => detail(article, ctx, () => article.declaredValuePaise),
  codAmountPaise: (article, _, ctx) => detail(article, ctx, () => article.codAmountPaise),
  paymentMode: (article, _, ctx) => detail(article, ctx, () => article.paymentMode),
  paymentStatus: (article, _, ctx) => detail(article, ctx, () => article.paymentStatus),
  delivery: async (article, _, ctx) => {
    const delivery = await ctx.loaders.deliveryByArticle.load(article.articleNumber);
    return delivery ? { ...delivery, article } : null;
  },
};
