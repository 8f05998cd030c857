import { formatDate } from '../../platform/i18n/i18n.js';
import { renderTextPdf, type PdfBlock } from '../../platform/letters/pdf.js';
import type { EnrolableService } from './db/tables.js';

/** What the activation letter says, in both languages: every letter is bilingual. */
const WORDING = {
  en: {
    heading: 'Your activation code',
    dear: 'Dear {name},',
    account: {
      'council-tax': 'council tax account',
      'business-rates': 'business rates account',
      'trade-waste': 'trade waste account',
    } satisfies Record<EnrolableService, string>,
    asked:
      'Someone asked to link your {account} {reference} with {organisation} to an online account with {brand}. To finish, they must sign in and enter the activation code below at {url}.',
    askedBusiness:
      'Someone asked to link your {account} {reference} with {organisation} to the business account "{business}" with {brand}. To finish, an administrator of that business account must sign in and enter the activation code below at {url}.',
    code: 'Activation code: {code}',
    expires: 'The code expires on {date}.',
    notYou:
      'If you did not ask for this, you do not need to do anything: nobody can see or manage your account online without this code. Do not share it with anyone.',
  },
  cy: {
    heading: 'Eich cod actifadu',
    dear: 'Annwyl {name},',
    account: {
      'council-tax': 'cyfrif treth gyngor',
      'business-rates': 'cyfrif ardrethi busnes',
      'trade-waste': 'cyfrif gwastraff masnachol',
    } satisfies Record<EnrolableService, string>,
    asked:
      'Gofynnodd rhywun am gysylltu eich {account} {reference} gyda {organisation} â chyfrif ar-lein gyda {brand}. I orffen, rhaid iddyn nhw fewngofnodi a rhoi’r cod actifadu isod yn {url}.',
    askedBusiness:
      'Gofynnodd rhywun am gysylltu eich {account} {reference} gyda {organisation} â’r cyfrif busnes "{business}" gyda {brand}. I orffen, rhaid i weinyddwr y cyfrif busnes hwnnw fewngofnodi a rhoi’r cod actifadu isod yn {url}.',
    code: 'Cod actifadu: {code}',
    expires: 'Bydd y cod yn dod i ben ar {date}.',
    notYou:
      'Os na wnaethoch chi ofyn am hyn, does dim angen i chi wneud dim: ni all neb weld na rheoli eich cyfrif ar-lein heb y cod hwn. Peidiwch â’i rannu gydag unrhyw un.',
  },
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Everything an activation letter needs; the name and address are the register's, never what was typed. */
export interface ActivationLetter {
  organisation: { name: string; nameCy: string | null };
  holderName: string;
  addressLines: string[];
  service: EnrolableService;
  reference: string;
  code: string;
  expiresAt: Date;
  sentAt: Date;
  brandName: string;
  /** The business account asking, when a business enrols; the letter names it. */
  businessName?: string | null;
  activateUrl: string;
}

/**
 * The activation code letter as a PDF: the body's name, the date, the holder's name and
 * address for the envelope window, then the same message in English and in Welsh.
 */
export function renderActivationLetter(letter: ActivationLetter): Buffer {
  const blocks: PdfBlock[] = [
    {
      text: `${letter.organisation.name}${letter.organisation.nameCy ? ` / ${letter.organisation.nameCy}` : ''}`,
      size: 14,
      bold: true,
      spaceAfter: 6,
    },
    {
      text: `${formatDate(letter.sentAt, 'en')} / ${formatDate(letter.sentAt, 'cy')}`,
      spaceAfter: 24,
    },
    { text: [letter.holderName, ...letter.addressLines].join('\n'), spaceAfter: 36 },
  ];
  for (const locale of ['en', 'cy'] as const) {
    const words = WORDING[locale];
    const values = {
      name: letter.holderName,
      account: words.account[letter.service],
      reference: letter.reference,
      organisation:
        locale === 'cy'
          ? (letter.organisation.nameCy ?? letter.organisation.name)
          : letter.organisation.name,
      brand: letter.brandName,
      business: letter.businessName ?? '',
      url: letter.activateUrl,
      code: letter.code,
      date: formatDate(letter.expiresAt, locale),
    };
    blocks.push(
      { text: words.heading, size: 14, bold: true, spaceAfter: 8 },
      { text: fill(words.dear, values), spaceAfter: 8 },
      {
        text: fill(letter.businessName ? words.askedBusiness : words.asked, values),
        spaceAfter: 10,
      },
      { text: fill(words.code, values), size: 16, bold: true, spaceAfter: 10 },
      { text: fill(words.expires, values), spaceAfter: 8 },
      { text: fill(words.notYou, values), spaceAfter: 30 },
    );
  }
  return renderTextPdf(blocks, `${WORDING.en.heading} / ${WORDING.cy.heading}`);
}
