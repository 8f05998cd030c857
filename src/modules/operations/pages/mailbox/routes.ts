import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { pdfTextLines } from '../../../../platform/letters/pdf.js';
import { listStoredLetters, readStoredLetter } from '../../../../platform/letters/letters.js';
import { listStoredMail, readStoredMail } from '../../../../platform/mail/mailer.js';
import { listStoredSms, readStoredSms } from '../../../../platform/sms/sms.js';
import { isPlatformAdmin, requireSignIn } from '../../../identity/index.js';

const LIST = 'modules/operations/pages/mailbox/list.njk';
const EMAIL = 'modules/operations/pages/mailbox/email.njk';
const SMS = 'modules/operations/pages/mailbox/sms.njk';
const LETTER = 'modules/operations/pages/mailbox/letter.njk';

/** How many of each kind the list shows: the folders are shared by every run on a machine. */
const LIST_LIMIT = 50;

/** A text's paragraphs (split at blank lines), each shown with its line breaks. */
function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim());
}

/**
 * The development mailbox: what the embedded e-mail, text message and letter senders stored
 * instead of sending. Platform admins only, and gone (404 for everyone) once SMTP_URL is set,
 * since a production deployment sends real e-mail and the folders may hold stale personal data.
 */
export function mailboxRoutes(app: FastifyInstance, { config }: AppContext): void {
  function guard(request: FastifyRequest, reply: FastifyReply) {
    if (config.SMTP_URL) throw notFound({ reason: 'development mailbox is off: SMTP_URL is set' });
    const user = requireSignIn(request, reply);
    if (user && !isPlatformAdmin(user))
      throw notFound({ reason: 'not a platform admin', userId: user.id });
    return user;
  }
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/dev/mailbox', async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const [mails, texts, letters] = await Promise.all([
      listStoredMail(config, LIST_LIMIT),
      listStoredSms(config, LIST_LIMIT),
      listStoredLetters(config, LIST_LIMIT),
    ]);
    return reply.view(LIST, { mails, texts, letters, limit: LIST_LIMIT });
  });

  app.get('/dev/mailbox/email/:id', async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const mail = await readStoredMail(config, id(request));
    if (!mail) throw notFound({ mailbox: 'email', id: id(request) });
    return reply.view(EMAIL, { mail, paragraphs: paragraphs(mail.text), backLink: '/dev/mailbox' });
  });

  app.get('/dev/mailbox/sms/:id', async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const sms = await readStoredSms(config, id(request));
    if (!sms) throw notFound({ mailbox: 'sms', id: id(request) });
    return reply.view(SMS, { sms, backLink: '/dev/mailbox' });
  });

  app.get('/dev/mailbox/letters/:id', async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const pdf = await readStoredLetter(config, id(request));
    if (!pdf) throw notFound({ mailbox: 'letter', id: id(request) });
    let lines: string[] = [];
    try {
      lines = pdfTextLines(pdf);
    } catch {
      // A precompiled PDF we cannot read as text: the download link still works.
    }
    return reply.view(LETTER, {
      letter: { id: id(request), size: pdf.length },
      paragraphs: lines.length ? [lines.join('\n')] : [],
      backLink: '/dev/mailbox',
    });
  });

  app.get('/dev/mailbox/letters/:id/pdf', async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const pdf = await readStoredLetter(config, id(request));
    if (!pdf) throw notFound({ mailbox: 'letter', id: id(request) });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${id(request)}.pdf"`)
      .send(pdf);
  });
}
