/**
 * The error messages a question shows when a rule is broken: the definition's own message for
 * that rule if it has one, otherwise a default in the GOV.UK style ("Enter …", "… must be …")
 * in English and Welsh, naming the answer by the question's `errorName` (or its label).
 */
import { formatDate } from '../../platform/i18n/i18n.js';
import type { Bilingual, ItemQuestion, Question } from './schema.js';

type AnyQuestion = Question | ItemQuestion;

function lowerFirst(text: string): string {
  // "Full name" → "full name", but "UPRN" and "National Insurance number" keep their capitals.
  return /^[A-Z][a-z]/.test(text) && !/^[A-Z][a-z]+ [A-Z]/.test(text)
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}

function upperFirst(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** How messages name the answer, e.g. { en: 'your full name', cy: 'eich enw llawn' }. */
function named(question: AnyQuestion): { en: string; cy: string; quoted: boolean } {
  if (question.errorName) return { ...question.errorName, quoted: false };
  const { en, cy } = question.label;
  if (en.endsWith('?')) return { en: `an answer to ‘${en}’`, cy: `ateb i ‘${cy}’`, quoted: true };
  return { en: lowerFirst(en), cy: `ateb i ‘${cy}’`, quoted: false };
}

/** "Enter your full name" / "Rhowch eich enw llawn". */
function enter(question: AnyQuestion): Bilingual {
  const n = named(question);
  return { en: `Enter ${n.en}`, cy: `Rhowch ${n.cy}` };
}

/** "Select your council" / "Dewiswch eich cyngor". */
function select(question: AnyQuestion): Bilingual {
  const n = named(question);
  return { en: `Select ${n.en}`, cy: `Dewiswch ${n.cy}` };
}

/** "Your full name must be 100 characters or fewer" / "Rhaid i’r ateb i ‘…’ fod yn …". */
function mustBe(question: AnyQuestion, en: string, cy: string): Bilingual {
  const n = named(question);
  const subject = n.quoted ? `The answer to ‘${question.label.en}’` : upperFirst(n.en);
  return {
    en: `${subject} must be ${en}`,
    cy: `Rhaid i’r ateb i ‘${question.label.cy}’ fod ${cy}`,
  };
}

const plain = (n: number) => n.toLocaleString('en-GB');

function money(pence: number): string {
  const pounds = Math.floor(pence / 100).toLocaleString('en-GB');
  return pence % 100 === 0 ? `£${pounds}` : `£${pounds}.${String(pence % 100).padStart(2, '0')}`;
}

/** Every rule with a default message, and the values its wording needs. */
export type Rule =
  | { rule: 'required' }
  | { rule: 'minLength'; min: number }
  | { rule: 'maxLength'; max: number }
  | { rule: 'pattern' }
  | { rule: 'invalid' }
  | { rule: 'integer' }
  | { rule: 'min'; min: number }
  | { rule: 'max'; max: number }
  | { rule: 'minPence'; min: number }
  | { rule: 'maxPence'; max: number }
  | { rule: 'incomplete' }
  | { rule: 'after'; date: string; today: boolean }
  | { rule: 'before'; date: string; today: boolean }
  | { rule: 'weekdaysOnly' }
  | { rule: 'minSelected'; min: number }
  | { rule: 'maxSelected'; max: number }
  | { rule: 'postcode' }
  | { rule: 'maxFiles'; max: number }
  | { rule: 'tooBig'; maxBytes: number }
  | { rule: 'wrongType'; accept: string[] };

const CHOICE_TYPES = new Set(['radios', 'select', 'checkboxes', 'yesNo', 'file']);

function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${plain(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
  if (bytes >= 1024) return `${plain(Math.round(bytes / 1024))} KB`;
  return `${plain(bytes)} bytes`;
}

const TYPE_NAMES: Record<string, Bilingual> = {
  'application/pdf': { en: 'PDF', cy: 'PDF' },
  'image/jpeg': { en: 'JPG', cy: 'JPG' },
  'image/png': { en: 'PNG', cy: 'PNG' },
};

function typeList(accept: string[], locale: 'en' | 'cy'): string {
  const names = accept.map((t) => TYPE_NAMES[t]?.[locale] ?? t);
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} ${locale === 'en' ? 'or' : 'neu'} ${names.at(-1)}`;
}

/** The default message for a broken rule. */
function defaultMessage(question: AnyQuestion, broken: Rule): Bilingual {
  switch (broken.rule) {
    case 'required':
      if (question.type === 'yesNo' && !question.errorName)
        return { en: 'Select yes or no', cy: 'Dewiswch ie neu na' };
      if (question.type === 'file' && !question.errorName)
        return { en: 'Select a file', cy: 'Dewiswch ffeil' };
      if (question.type === 'repeat')
        return {
          en: `Add at least one: ${question.itemLabel.en}`,
          cy: `Ychwanegwch o leiaf un: ${question.itemLabel.cy}`,
        };
      return CHOICE_TYPES.has(question.type) ? select(question) : enter(question);
    case 'minLength':
      return mustBe(
        question,
        `${plain(broken.min)} characters or more`,
        `yn ${plain(broken.min)} nod neu fwy`,
      );
    case 'maxLength':
      return mustBe(
        question,
        `${plain(broken.max)} characters or fewer`,
        `yn ${plain(broken.max)} nod neu lai`,
      );
    case 'pattern': {
      const e = enter(question);
      return { en: `${e.en} in the correct format`, cy: `${e.cy} yn y fformat cywir` };
    }
    case 'invalid':
      switch (question.type) {
        case 'number':
          return mustBe(question, 'a number', 'yn rhif');
        case 'money':
          return mustBe(
            question,
            'an amount of money, like 600 or 193.54',
            'yn swm o arian, fel 600 neu 193.54',
          );
        case 'date':
          return mustBe(question, 'a real date', 'yn ddyddiad go iawn');
        case 'phone':
          return question.mobileOnly
            ? {
                en: 'Enter a UK mobile phone number, like 07700 900 982',
                cy: 'Rhowch rif ffôn symudol yn y DU, fel 07700 900 982',
              }
            : {
                en: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
                cy: 'Rhowch rif ffôn, fel 01632 960 001, 07700 900 982 neu +44 808 157 0192',
              };
        case 'email':
          return {
            en: 'Enter an email address in the correct format, like name@example.com',
            cy: 'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
          };
        case 'nino':
          return {
            en: 'Enter a National Insurance number in the correct format, like QQ 12 34 56 C',
            cy: 'Rhowch rif Yswiriant Gwladol yn y fformat cywir, fel QQ 12 34 56 C',
          };
        case 'address':
          return { en: 'Select an address', cy: 'Dewiswch gyfeiriad' };
        case 'postcode':
          return {
            en: 'Enter a full UK postcode, like GL5 4UB',
            cy: 'Rhowch god post llawn yn y DU, fel GL5 4UB',
          };
        default:
          return CHOICE_TYPES.has(question.type) ? select(question) : enter(question);
      }
    case 'integer':
      return mustBe(question, 'a whole number', 'yn rhif cyfan');
    case 'min':
      if (question.type === 'repeat')
        return {
          en: `Add at least ${plain(broken.min)}: ${question.itemLabel.en}`,
          cy: `Ychwanegwch o leiaf ${plain(broken.min)}: ${question.itemLabel.cy}`,
        };
      return mustBe(question, `${plain(broken.min)} or more`, `yn ${plain(broken.min)} neu fwy`);
    case 'max':
      if (question.type === 'repeat')
        return {
          en: `You can add up to ${plain(broken.max)}: ${question.itemLabel.en}`,
          cy: `Gallwch ychwanegu hyd at ${plain(broken.max)}: ${question.itemLabel.cy}`,
        };
      return mustBe(question, `${plain(broken.max)} or less`, `yn ${plain(broken.max)} neu lai`);
    case 'minPence':
      return mustBe(question, `${money(broken.min)} or more`, `yn ${money(broken.min)} neu fwy`);
    case 'maxPence':
      return mustBe(question, `${money(broken.max)} or less`, `yn ${money(broken.max)} neu lai`);
    case 'incomplete':
      return mustBe(
        question,
        'a full date, with a day, month and year',
        'yn ddyddiad llawn, gyda diwrnod, mis a blwyddyn',
      );
    case 'after':
      return broken.today
        ? mustBe(question, 'in the future', 'yn y dyfodol')
        : mustBe(
            question,
            `after ${formatDate(broken.date, 'en')}`,
            `ar ôl ${formatDate(broken.date, 'cy')}`,
          );
    case 'before':
      return broken.today
        ? mustBe(question, 'in the past', 'yn y gorffennol')
        : mustBe(
            question,
            `before ${formatDate(broken.date, 'en')}`,
            `cyn ${formatDate(broken.date, 'cy')}`,
          );
    case 'weekdaysOnly':
      return mustBe(
        question,
        'a weekday, Monday to Friday',
        'yn ddiwrnod o’r wythnos, o ddydd Llun i ddydd Gwener',
      );
    case 'minSelected':
      return {
        en: `Select at least ${plain(broken.min)} answers to ‘${question.label.en}’`,
        cy: `Dewiswch o leiaf ${plain(broken.min)} ateb i ‘${question.label.cy}’`,
      };
    case 'maxSelected':
      return {
        en: `Select no more than ${plain(broken.max)} answers to ‘${question.label.en}’`,
        cy: `Dewiswch ddim mwy na ${plain(broken.max)} ateb i ‘${question.label.cy}’`,
      };
    case 'postcode':
      return {
        en: 'Enter a full UK postcode, like GL5 4UB',
        cy: 'Rhowch god post llawn yn y DU, fel GL5 4UB',
      };
    case 'maxFiles':
      return {
        en: `You can upload up to ${plain(broken.max)} ${broken.max === 1 ? 'file' : 'files'}`,
        cy: `Gallwch lanlwytho hyd at ${plain(broken.max)} ffeil`,
      };
    case 'tooBig':
      return {
        en: `The selected file must be smaller than ${fileSize(broken.maxBytes)}`,
        cy: `Rhaid i’r ffeil a ddewiswyd fod yn llai na ${fileSize(broken.maxBytes)}`,
      };
    case 'wrongType':
      return {
        en: `The selected file must be a ${typeList(broken.accept, 'en')}`,
        cy: `Rhaid i’r ffeil a ddewiswyd fod yn ${typeList(broken.accept, 'cy')}`,
      };
  }
}

/**
 * The message for a broken rule: the question's custom one for that rule, or the default.
 *
 * @example messageFor(question, { rule: 'maxLength', max: 500 }).en
 */
export function messageFor(question: AnyQuestion, broken: Rule): Bilingual {
  const custom = (question.messages as Partial<Record<string, Bilingual>> | undefined)?.[
    broken.rule
  ];
  return custom ?? defaultMessage(question, broken);
}

/** Messages of an address's parts: each names its box, GOV.UK style. */
export const ADDRESS_MESSAGES = {
  line1Required: {
    en: 'Enter address line 1, typically the building and street',
    cy: 'Rhowch linell gyntaf y cyfeiriad, fel arfer yr adeilad a’r stryd',
  },
  line1TooLong: {
    en: 'Address line 1 must be 100 characters or fewer',
    cy: 'Rhaid i linell gyntaf y cyfeiriad fod yn 100 nod neu lai',
  },
  line2TooLong: {
    en: 'Address line 2 must be 100 characters or fewer',
    cy: 'Rhaid i ail linell y cyfeiriad fod yn 100 nod neu lai',
  },
  townRequired: { en: 'Enter town or city', cy: 'Rhowch dref neu ddinas' },
  townTooLong: {
    en: 'Town or city must be 60 characters or fewer',
    cy: 'Rhaid i’r dref neu’r ddinas fod yn 60 nod neu lai',
  },
  postcodeRequired: { en: 'Enter postcode', cy: 'Rhowch god post' },
} satisfies Record<string, Bilingual>;

/** Messages that are not any one rule's: the answers' shape (from the API) was wrong. */
export const SHAPE_MESSAGES = {
  notAnObject: {
    en: 'Send the answers as an object of question names and answers',
    cy: 'Anfonwch yr atebion fel gwrthrych o enwau cwestiynau ac atebion',
  },
  unknownQuestion: {
    en: 'This is not a question on the form',
    cy: 'Nid yw hwn yn gwestiwn ar y ffurflen',
  },
  tooManyErrors: {
    en: 'There are too many problems with the answers to list them all',
    cy: 'Mae gormod o broblemau gyda’r atebion i’w rhestru i gyd',
  },
} satisfies Record<string, Bilingual>;
