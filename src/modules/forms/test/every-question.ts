/**
 * A test form asking every question type, with a conditional page, a conditional question on
 * the same page, "add another", a declaration and a confirmation. Tests publish it under their
 * own key. Not shipped: src/modules/forms/definitions/ holds the real forms.
 */
import type { FormDefinitionInput } from '../schema.js';

const b = (en: string, cy = `${en} (cy)`) => ({ en, cy });

export function everyQuestionForm(key = 'every-question'): FormDefinitionInput {
  return {
    key,
    title: b('Tell us about your home'),
    pages: [
      {
        id: 'name',
        title: b('What is your full name?'),
        questions: [
          {
            type: 'text',
            name: 'fullName',
            label: b('What is your full name?'),
            errorName: b('your full name', 'eich enw llawn'),
            prefill: 'fullName',
            maxLength: 100,
            autocomplete: 'name',
          },
        ],
      },
      {
        id: 'about',
        title: b('About your household'),
        questions: [
          { type: 'textarea', name: 'story', label: b('Tell us what happened'), maxLength: 200 },
          {
            type: 'number',
            name: 'people',
            label: b('How many people live there?'),
            integer: true,
            min: 1,
            max: 20,
          },
          {
            type: 'money',
            name: 'rent',
            label: b('Monthly rent'),
            required: false,
            maxPence: 500_000,
          },
          { type: 'date', name: 'moveDate', label: b('When did you move in?'), before: 'today' },
          { type: 'yesNo', name: 'hasPets', label: b('Do you have pets?') },
        ],
      },
      {
        id: 'pets',
        title: b('Your pets'),
        when: { question: 'hasPets', equals: 'yes' },
        questions: [
          {
            type: 'radios',
            name: 'petKind',
            label: b('What kind of pet?'),
            options: [
              { value: 'dog', label: b('Dog') },
              { value: 'cat', label: b('Cat') },
              { value: 'other', label: b('Another animal') },
            ],
          },
          {
            type: 'text',
            name: 'petOther',
            label: b('What animal is it?'),
            when: { question: 'petKind', equals: 'other' },
          },
        ],
      },
      {
        id: 'contact',
        title: b('How can we contact you?'),
        questions: [
          {
            type: 'select',
            name: 'contactBy',
            label: b('Best way to contact you'),
            options: [
              { value: 'email', label: b('Email') },
              { value: 'phone', label: b('Phone') },
            ],
          },
          {
            type: 'phone',
            name: 'phone',
            label: b('Phone number'),
            required: false,
            prefill: 'phone',
          },
          { type: 'email', name: 'email', label: b('Email address'), prefill: 'email' },
          { type: 'nino', name: 'nino', label: b('National Insurance number') },
          {
            type: 'checkboxes',
            name: 'reasons',
            label: b('Why are you telling us?'),
            maxSelected: 2,
            options: [
              { value: 'repair', label: b('A repair') },
              { value: 'noise', label: b('Noise') },
              { value: 'damp', label: b('Damp') },
            ],
          },
          {
            type: 'postcode',
            name: 'workPostcode',
            label: b('Postcode of your work'),
            required: false,
          },
        ],
      },
      {
        id: 'home',
        title: b('What is your address?'),
        questions: [
          { type: 'address', name: 'home', label: b('What is your address?'), prefill: 'address' },
        ],
      },
      {
        id: 'evidence',
        title: b('Upload a photo or letter'),
        questions: [
          {
            type: 'file',
            name: 'evidence',
            label: b('Upload a photo or letter'),
            required: false,
            maxFiles: 2,
            maxBytes: 1_000_000,
          },
        ],
      },
      {
        id: 'household',
        title: b('People who live with you'),
        questions: [
          {
            type: 'repeat',
            name: 'household',
            label: b('People who live with you'),
            itemLabel: b('Person', 'Person'),
            required: false,
            max: 3,
            questions: [
              { type: 'text', name: 'personName', label: b('Their name') },
              {
                type: 'date',
                name: 'personBorn',
                label: b('Their date of birth'),
                before: 'today',
              },
              { type: 'yesNo', name: 'personStudent', label: b('Are they a student?') },
            ],
          },
        ],
      },
    ],
    declaration: b('I confirm the information I have given is true.'),
    confirmation: {
      title: b('Report sent'),
      body: b('We will contact you within 10 working days.'),
    },
  };
}
