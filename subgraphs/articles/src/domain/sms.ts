/**
 * The wording of the SMS the articles subgraph sends, after India Post's own ("Your article ... is out
 * for delivery", an OTP valid for the day, "do not share"). Pure: the notification consumer fills them in
 * at send time. Only OUT_FOR_DELIVERY_OTP, OTP_REISSUED and OTP_RESENT carry an OTP.
 */
import { toIst } from './ist.js';

export const SMS_TEMPLATES = [
  'OUT_FOR_DELIVERY_OTP',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'RETURN_OUT_FOR_DELIVERY',
  'RETURN_DELIVERED',
  'OTP_REISSUED',
  'OTP_RESENT',
] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

const SIGNATURE = '-India Post';

/** "25-11-2026 14:05", the IST date and time as India Post's SMS write them. */
export function istStamp(at: Date): string {
  const { date, hour, minute } = toIst(at);
  const [year, month, day] = date.split('-');
  return `${day}-${month}-${year} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The text of one SMS; `otp` is required by (and only used for) the templates that carry one. */
export function smsText(template: SmsTemplate, facts: { articleNumber: string; otp?: string; at?: Date }): string {
  const n = facts.articleNumber;
  const otp = (): string => {
    if (!facts.otp) throw new Error(`the ${template} SMS needs an OTP`);
    return facts.otp;
  };
  const at = (): string => istStamp(facts.at ?? new Date());
  switch (template) {
    case 'OUT_FOR_DELIVERY_OTP':
      return `Your article ${n} is out for delivery today. OTP for delivery: ${otp()}, valid till 23:59 today. Share it only with the postman at the time of delivery; India Post never asks for it on a call. ${SIGNATURE}`;
    case 'OUT_FOR_DELIVERY':
      return `Your article ${n} is out for delivery today and will be delivered by the postman. ${SIGNATURE}`;
    case 'DELIVERED':
      return `Your article ${n} has been delivered on ${at()}. Thank you for using India Post. ${SIGNATURE}`;
    case 'RETURN_OUT_FOR_DELIVERY':
      return `Your article ${n} could not be delivered and is out for delivery back to you today. ${SIGNATURE}`;
    case 'RETURN_DELIVERED':
      return `Your article ${n} has been returned and delivered back to you on ${at()}. ${SIGNATURE}`;
    case 'OTP_REISSUED':
      return `A new OTP for delivery of article ${n} is ${otp()}, valid till 23:59 today; the earlier OTP no longer works. Share it only with the postman. ${SIGNATURE}`;
    case 'OTP_RESENT':
      return `OTP for delivery of article ${n}: ${otp()}, valid till 23:59 today. Share it only with the postman at the time of delivery. ${SIGNATURE}`;
  }
}
