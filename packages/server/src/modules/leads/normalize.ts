import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** The e-mail as matched for duplicates: trimmed and lower-cased. */
export const normalizeEmail = (email: string | null | undefined): string | null =>
  email ? email.trim().toLowerCase() || null : null;

/**
 * The phone as matched for duplicates: its E.164 form when libphonenumber can read it (numbers
 * without a country code need `region`), otherwise its digits (with a leading + kept), so two
 * spellings of one unparseable number still meet.
 */
export function normalizePhone(
  phone: string | null | undefined,
  region?: string | undefined,
): string | null {
  if (!phone) return null;
  const parsed = parsePhoneNumberFromString(phone, region as CountryCode | undefined);
  // A possible number's E.164 form (full validation costs several times the parse, per row).
  if (parsed?.isPossible()) return parsed.number;
  const digits = phone.replace(/[^\d]/g, '');
  if (!digits) return null;
  return phone.trim().startsWith('+') ? `+${digits}` : digits;
}
