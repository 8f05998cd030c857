/** Text in both languages a citizen page may be shown in. */
export interface Bilingual {
  en: string;
  cy: string;
}

interface FieldBase {
  name: string;
  label: Bilingual;
  hint?: Bilingual;
  /** i18n keys for this field's error messages, GOV.UK style: specific to the question. */
  messages: {
    required: string;
    tooLong?: string;
    invalid?: string;
    [rule: string]: string | undefined;
  };
}

export interface ChoiceOption {
  value: string;
  label: Bilingual;
}

export type FieldDefinition =
  | (FieldBase & { type: 'checkboxes'; options: ChoiceOption[]; required: boolean })
  | (FieldBase & { type: 'radios'; options: ChoiceOption[]; required: boolean })
  | (FieldBase & {
      type: 'text';
      maxLength: number;
      required: boolean;
      autocomplete?: string;
      width?: 'full' | 'two-thirds' | 'half';
    })
  | (FieldBase & {
      type: 'textarea';
      maxLength: number;
      required: boolean;
      /** Required after all when another answer needs explaining, e.g. "Other" was ticked. */
      requiredWhen?: (answers: Answers) => boolean;
    })
  | (FieldBase & { type: 'postcode'; required: boolean })
  | (FieldBase & {
      type: 'date';
      required: boolean;
      /** Extra rule on a real date (YYYY-MM-DD) given today's date: an i18n key when broken. */
      rule?: (date: string, today: string) => string | undefined;
    });

export interface FormPageDefinition {
  id: string;
  title: Bilingual;
  fields: FieldDefinition[];
}

/** A service's application form: pages asked in order, then check answers, then submit. */
export interface FormDefinition {
  key: string;
  pages: FormPageDefinition[];
}

/** Normalised answers: text and dates as strings (dates YYYY-MM-DD), choices as string arrays. */
export type Answers = Record<string, string | string[]>;
