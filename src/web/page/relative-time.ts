/** Dates as people read them: "Nov 27, 2025" and "2 minutes ago", with the exact time on hover. */

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
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

export function describeTimeAgo(isoTime: string, nowMs: number = Date.now()): string {
  const elapsedS = (nowMs - Date.parse(isoTime)) / 1000;
  // Also covers a server clock slightly ahead of this browser's ("in 3 seconds" would be odd).
  if (elapsedS < 45) return 'Just now';
  const [unit, unitS] = UNITS.find(([, seconds]) => elapsedS >= seconds) ?? ['minute', MINUTE_S];
  return sentenceCase(RELATIVE.format(-Math.max(1, Math.floor(elapsedS / unitS)), unit));
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

/** Updates the text of every time-ago element in place, so focus and selection are left alone. */
export function refreshTimesAgo(root: ParentNode): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>('time[data-time-ago]')) {
    time.textContent = describeTimeAgo(time.dateTime);
  }
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
