/**
 * Dates as people read them: "Nov 27, 2025", "2 minutes ago" and "Expires in 3 days",
 * with the exact time on hover.
 */

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
// "in 1 day", never "tomorrow": an expiry is a duration the user chose.
const AHEAD = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

const MINUTE_S = 60;
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', MINUTE_S],
];

const DAY_S = 24 * 3600;
/** Each unit from how many of it: "in 24 hours" (what a 24-hour roll chose) rather than "in 1 day", "in 30 days" rather than "in 1 month". */
const UNITS_AHEAD: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ['year', 365 * DAY_S, 1],
  ['month', 30 * DAY_S, 2],
  ['day', DAY_S, 2],
  ['hour', 3600, 1],
  ['minute', MINUTE_S, 1],
];

export function describeTimeAgo(isoTime: string, nowMs: number = Date.now()): string {
  return sentenceCase(timeAgo(isoTime, nowMs));
}

/** "in 3 days", "in 24 hours", "in less than a minute". */
export function describeTimeUntil(isoTime: string, nowMs: number = Date.now()): string {
  const remainingS = (Date.parse(isoTime) - nowMs) / 1000;
  for (const [unit, unitS, from] of UNITS_AHEAD) {
    // A hundredth of a unit of slack: the moments between the answer and the rendering must not turn "7 days" into "6 days".
    const count = Math.floor(remainingS / unitS + 0.01);
    if (count >= from) return AHEAD.format(count, unit);
  }
  return 'in less than a minute';
}

/** "Never expires", "Expires in 3 days" or "Expired 2 hours ago". */
export function describeExpiry(expiresAt: string | null, nowMs: number = Date.now()): string {
  if (expiresAt === null) return 'Never expires';
  if (Date.parse(expiresAt) > nowMs) return `Expires ${describeTimeUntil(expiresAt, nowMs)}`;
  return `Expired ${timeAgo(expiresAt, nowMs)}`;
}

function timeAgo(isoTime: string, nowMs: number): string {
  const elapsedS = (nowMs - Date.parse(isoTime)) / 1000;
  // Also covers a server clock slightly ahead of this browser's ("in 3 seconds" would be odd).
  if (elapsedS < 45) return 'just now';
  const [unit, unitS] = UNITS.find(([, seconds]) => elapsedS >= seconds) ?? ['minute', MINUTE_S];
  return RELATIVE.format(-Math.max(1, Math.floor(elapsedS / unitS)), unit);
}

export function formatDate(isoTime: string): string {
  return DATE.format(new Date(isoTime));
}

export function formatDateTime(isoTime: string): string {
  return DATE_TIME.format(new Date(isoTime));
}

/** A <time> showing "2 minutes ago"; `refreshTimesAgo` keeps it current while the page stays open. */
export function timeAgoElement(isoTime: string): HTMLTimeElement {
  const time = document.createElement('time');
  time.dateTime = isoTime;
  time.title = formatDateTime(isoTime);
  time.dataset.timeAgo = '';
  time.textContent = describeTimeAgo(isoTime);
  return time;
}

/** A <time> showing the date alone. */
export function dateElement(isoTime: string): HTMLTimeElement {
  const time = document.createElement('time');
  time.dateTime = isoTime;
  time.title = formatDateTime(isoTime);
  time.textContent = formatDate(isoTime);
  return time;
}

/** A <time> showing "Expires in 3 days" or "Expired 2 hours ago", kept current like the times ago. */
export function expiryElement(isoTime: string): HTMLTimeElement {
  const time = document.createElement('time');
  time.dateTime = isoTime;
  time.title = formatDateTime(isoTime);
  time.dataset.expiry = '';
  time.textContent = describeExpiry(isoTime);
  return time;
}

/** Updates the text of every time-ago and expiry element in place, so focus and selection are left alone. */
export function refreshTimesAgo(root: ParentNode): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>('time[data-time-ago]')) {
    time.textContent = describeTimeAgo(time.dateTime);
  }
  for (const time of root.querySelectorAll<HTMLTimeElement>('time[data-expiry]')) {
    time.textContent = describeExpiry(time.dateTime);
  }
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
