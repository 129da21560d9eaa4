// An instant as ISO 8601 UTC text (`2026-12-01T03:20:50.123Z`), by arithmetic on the epoch
// milliseconds. Why not `new Date(ms).toISOString()`: in Node, the first Date field access
// initialises V8's date cache, which loads ICU's time-zone tables and zone names (~1.5 MiB of
// the executable's pages, measured with /proc/PID/pagemap), and those pages stay resident in
// the sidecar for its whole life. The sidecar only ever needs UTC.

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Days since 1970-01-01 → proleptic Gregorian [year, month 1–12, day 1–31] (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Epoch milliseconds (years 0–9999) → `YYYY-MM-DDTHH:MM:SS.mmmZ`, as Date#toISOString writes it. */
export function isoTime(ms: number): string {
  const days = Math.floor(ms / 86400000);
  const rest = ms - days * 86400000;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rest / 3600000);
  const mi = Math.floor((rest % 3600000) / 60000);
  const s = Math.floor((rest % 60000) / 1000);
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(rest % 1000, 3)}Z`;
}
