/** The messages the account lifecycle sends: plain text and HTML, with the link and nothing else secret. */
import { Mail } from '../../mail/mailer';

export interface LinkMail {
  userId: string;
  to: string;
  link: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function compose({ userId, to, link }: LinkMail, subject: string, lead: string, after: string): Mail {
  const text = `${lead}\n\n${link}\n\n${after}\n\nMagpipe\n`;
  const html =
    `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">` +
    `<p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` +
    `<p>${escapeHtml(after)}</p><p>Magpipe</p></body></html>`;
  return { userId, to, subject, text, html };
}

export const verificationMail = (mail: LinkMail): Mail =>
  compose(
    mail,
    'Verify your email for Magpipe',
    'Open this link to confirm that this is your email address:',
    'The link works once, for 24 hours. If you did not create a Magpipe account, ignore this message.',
  );

export const passwordResetMail = (mail: LinkMail): Mail =>
  compose(
    mail,
    'Reset your Magpipe password',
    'Open this link to choose a new password:',
    'The link works once, for 30 minutes, and signs you out everywhere. If you did not ask for it, ignore this ' +
      'message: your password stays as it is.',
  );
