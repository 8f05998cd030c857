import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderTextPdf } from '../../../platform/letters/pdf.js';
import type { AppContext } from '../../../platform/http/types.js';
import { requireSignIn } from '../../identity/index.js';
import { openReceipt, type ReceiptFormat } from './access.js';
import { buildReceipt, receiptPdfBlocks } from './view-model.js';

const RECEIPT = 'modules/submissions/receipts/receipt.njk';

/**
 * Receipts (issue 5, part 8): `GET /applications/:reference/receipt` (page), `.pdf` (download)
 * and `.json` (the canonical JSON, byte for byte, so anyone can recompute the digest). For the
 * applicant, an agent acting for them, and staff of the receiving body; "not found" for others.
 */
export function receiptRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  async function open(request: FastifyRequest, reply: FastifyReply, format: ReceiptFormat) {
    const user = requireSignIn(request, reply);
    if (!user) return undefined;
    const { reference } = request.params as { reference: string };
    const { submission, reader } = await openReceipt(db, user, reference, format, request.id);
    const receipt = await buildReceipt(db, submission, {
      locale: request.locale,
      t: request.t,
      baseUrl: config.baseUrl,
    });
    // Personal data: never kept by a shared cache or the browser's back-forward store.
    reply.header('cache-control', 'private, no-store');
    return { receipt, reader };
  }

  app.get('/applications/:reference/receipt', async (request, reply) => {
    const opened = await open(request, reply, 'html');
    if (!opened) return reply;
    const { receipt, reader } = opened;
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    return reply.view(RECEIPT, {
      receipt,
      reader,
      detailRows: [
        row(request.t('receipts.reference'), receipt.reference),
        row(request.t('receipts.service'), receipt.serviceTitle),
        row(request.t('receipts.sentTo'), receipt.organisationName),
        row(request.t('receipts.sentAt'), receipt.sentAt),
        row(request.t('receipts.sentAtUtc'), receipt.sentAtUtc),
      ],
      answerRows: receipt.answers.map((answer) => row(answer.question, answer.answer)),
      styleNonce: reply.cspNonce?.style,
      backLink:
        reader === 'staff'
          ? `/casework/${receipt.reference}`
          : `/applications/${receipt.reference}`,
    });
  });

  app.get('/applications/:reference/receipt.pdf', async (request, reply) => {
    const opened = await open(request, reply, 'pdf');
    if (!opened) return reply;
    const { receipt } = opened;
    const pdf = renderTextPdf(
      receiptPdfBlocks(receipt, request.t),
      `${request.t('receipts.title')} ${receipt.reference}`,
    );
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="receipt-${receipt.reference}.pdf"`)
      .send(pdf);
  });

  app.get('/applications/:reference/receipt.json', async (request, reply) => {
    const opened = await open(request, reply, 'json');
    if (!opened) return reply;
    const { receipt } = opened;
    const bytes = Buffer.from(receipt.canonical, 'utf8');
    return (
      reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `inline; filename="${receipt.reference}.json"`)
        // RFC 9530: the SHA-256 of exactly these bytes, for clients that check it on arrival.
        .header(
          'repr-digest',
          `sha-256=:${Buffer.from(receipt.digest.hex, 'hex').toString('base64')}:`,
        )
        .send(bytes)
    );
  });
}
