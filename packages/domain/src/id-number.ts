/**
 * 居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence (odd = male),
 * MOD 11-2 check character. 残疾人证号 = the 18-character ID + disability category (1 digit) + grade
 * (1 digit), optionally + 2 more digits (20 or 22 characters). Placeholder IDs start with 999999.
 */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkCharacters = '10X98765432';

export function checkCharacter(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * (weights[index] ?? 0);
  return checkCharacters[sum % 11];
}

/** True when the 18 characters carry a correct check character (lower-case x counts as X). */
export function hasValidCheckDigit(id18: string): boolean {
  if (id18.length !== 18) return false;
  return checkCharacter(id18.slice(0, 17)) === id18[17]?.toUpperCase();
}

/** Length 18, 20 or 22; digits only, except a final X (or x) in position 18. */
export function hasValidIdFormat(idNumber: string): boolean {
  return /^\d{17}[\dXx](\d{2}|\d{4})?$/.test(idNumber);
}

/** The birth date in digits 7–14 when they form a real calendar date. */
export function birthDateOf(idNumber: string): Date | undefined {
  if (![18, 20, 22].includes(idNumber.length)) return undefined;
  return parseYyyymmdd(idNumber.slice(6, 14));
}

/** 'male' for an odd 17th digit, 'female' for an even one. */
export function genderOf(idNumber: string): 'male' | 'female' | undefined {
  const digit = idNumber[16];
  if (idNumber.length < 18 || digit === undefined || !/\d/.test(digit)) return undefined;
  return Number(digit) % 2 === 1 ? 'male' : 'female';
}

export function isPlaceholderId(idNumber: string): boolean {
  return idNumber.startsWith('999999');
}

/** A real calendar date from YYYYMMDD, in UTC. */
export function parseYyyymmdd(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

/** Builds a valid 18-character ID from region code, birth date and sequence (for demo data and tests). */
export function buildIdNumber(
  regionCode6: string,
  birthDate: Date,
  sequence: number,
  gender: 'male' | 'female',
): string {
  const sequence3 = sequence % 1000;
  const adjusted = gender === 'male' ? sequence3 | 1 : sequence3 & ~1;
  const yyyymmdd = birthDate.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${regionCode6}${yyyymmdd}${String(adjusted).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
}

/** 15-digit first-generation IDs converted to 18 digits (19 century prefix, new check digit). */
export function upgradeFifteenDigitId(id15: string): string | undefined {
  if (!/^\d{15}$/.test(id15)) return undefined;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return `${first17}${checkCharacter(first17)}`;
}
