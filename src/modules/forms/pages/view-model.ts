import type { Locale } from '../../../platform/i18n/i18n.js';
import type { Answers, FormPageDefinition } from '../definition.js';

type Values = Record<string, unknown>;

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

/** Posted form values for a page, or its saved answers turned back into form values. */
export function valuesFromAnswers(page: FormPageDefinition, answers: Answers): Values {
  const values: Values = {};
  for (const field of page.fields) {
    const value = answers[field.name];
    if (field.type === 'date' && typeof value === 'string' && value) {
      const [y, m, d] = value.split('-');
      values[`${field.name}-day`] = String(Number(d));
      values[`${field.name}-month`] = String(Number(m));
      values[`${field.name}-year`] = y;
    } else if (value !== undefined) values[field.name] = value;
  }
  return values;
}

/** One page of a form, in the reader's language, with the values to show in each field. */
export function pageView(
  page: FormPageDefinition,
  values: Values,
  locale: Locale,
  errorFields: Set<string>,
) {
  return {
    id: page.id,
    title: page.title[locale],
    fields: page.fields.map((field) => {
      const base = {
        type: field.type,
        name: field.name,
        label: field.label[locale],
        hint: field.hint?.[locale],
      };
      switch (field.type) {
        case 'checkboxes':
        case 'radios': {
          const picked = asList(values[field.name]);
          return {
            ...base,
            items: field.options.map((o) => ({
              value: o.value,
              text: o.label[locale],
              checked: picked.includes(o.value),
            })),
          };
        }
        case 'date': {
          const part = (name: string, label: string, width: number) => ({
            name,
            label,
            value:
              typeof values[`${field.name}-${name}`] === 'string'
                ? values[`${field.name}-${name}`]
                : '',
            classes: `govuk-input--width-${width}${errorFields.has(`${field.name}-day`) ? ' govuk-input--error' : ''}`,
          });
          return {
            ...base,
            dateItems: [
              part('day', locale === 'cy' ? 'Diwrnod' : 'Day', 2),
              part('month', locale === 'cy' ? 'Mis' : 'Month', 2),
              part('year', locale === 'cy' ? 'Blwyddyn' : 'Year', 4),
            ],
          };
        }
        case 'text':
          return {
            ...base,
            value: values[field.name],
            maxLength: field.maxLength,
            autocomplete: field.autocomplete,
            width: field.width,
          };
        case 'textarea':
          return { ...base, value: values[field.name], maxLength: field.maxLength };
        case 'postcode':
          return { ...base, value: values[field.name] };
      }
    }),
  };
}
