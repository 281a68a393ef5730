import { onTimeShare, type Figures, type Measure } from '../domain';
import type { AnalyticsContext } from '../context';
import type { FigureScope } from '../services/report';

/** A report row or a day: its figures, and where its breakdowns are read from. */
interface WithFigures extends Figures {
  scope: FigureScope;
  groupKey: string;
}

const linesOf = async (parent: WithFigures, ctx: AnalyticsContext, measure: Measure) =>
  (await ctx.loaders.breakdowns.load({ scope: parent.scope, groupKey: parent.groupKey })).filter((line) => line.measure === measure);

/** The fields OperationsRow and OperationsDay share (the OperationsFigures interface) beyond their plain figures. */
export const figureResolvers = {
  bookedByProduct: async (parent: WithFigures, _: unknown, ctx: AnalyticsContext) =>
    (await linesOf(parent, ctx, 'BOOKED')).map((line) => ({ product: line.key, count: line.count })),
  failedAttemptsByReason: async (parent: WithFigures, _: unknown, ctx: AnalyticsContext) =>
    (await linesOf(parent, ctx, 'FAILED_ATTEMPT')).map((line) => ({ reason: line.key, count: line.count })),
  onTimeShare: (parent: WithFigures) => onTimeShare(parent),
};
