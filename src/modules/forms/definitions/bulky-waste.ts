import type { FormDefinition } from '../definition.js';
import { daysBetween, isWeekday } from '../../../platform/validation/validators.js';

/** Earliest and latest collection: crews are planned 3 days ahead and up to 8 weeks out. */
export const BULKY_WASTE_EARLIEST_DAYS = 3;
export const BULKY_WASTE_LATEST_DAYS = 56;

/** "Request a bulky waste collection": a district council's household collection of large items. */
export const bulkyWasteForm: FormDefinition = {
  key: 'bulky-waste',
  pages: [
    {
      id: 'items',
      title: { en: 'What do you want collected?', cy: 'Beth ydych chi eisiau i ni ei gasglu?' },
      fields: [
        {
          type: 'checkboxes',
          name: 'items',
          required: true,
          label: { en: 'What do you want collected?', cy: 'Beth ydych chi eisiau i ni ei gasglu?' },
          hint: {
            en: 'Select all that apply. We collect up to 6 items.',
            cy: 'Dewiswch bob un sy’n berthnasol. Rydym yn casglu hyd at 6 eitem.',
          },
          options: [
            { value: 'sofa', label: { en: 'Sofa or armchair', cy: 'Soffa neu gadair freichiau' } },
            { value: 'fridge', label: { en: 'Fridge or freezer', cy: 'Oergell neu rewgell' } },
            { value: 'mattress', label: { en: 'Mattress', cy: 'Matres' } },
            { value: 'bed', label: { en: 'Bed frame', cy: 'Ffrâm gwely' } },
            {
              value: 'wardrobe',
              label: { en: 'Wardrobe or chest of drawers', cy: 'Cwpwrdd dillad neu gist ddroriau' },
            },
            {
              value: 'washing-machine',
              label: { en: 'Washing machine or cooker', cy: 'Peiriant golchi neu ffwrn' },
            },
            { value: 'table', label: { en: 'Table or chairs', cy: 'Bwrdd neu gadeiriau' } },
            { value: 'other', label: { en: 'Something else', cy: 'Rhywbeth arall' } },
          ],
          messages: {
            required: 'forms.bulkyWaste.items.required',
            invalid: 'forms.bulkyWaste.items.required',
          },
        },
        {
          type: 'textarea',
          name: 'itemDetails',
          required: false,
          requiredWhen: (answers) =>
            Array.isArray(answers.items) && answers.items.includes('other'),
          maxLength: 500,
          label: { en: 'Describe the items', cy: 'Disgrifiwch yr eitemau' },
          hint: {
            en: 'Tell us how many there are, and what ‘something else’ is. We cannot take building rubble or asbestos.',
            cy: 'Dywedwch wrthym faint sydd, a beth yw ‘rhywbeth arall’. Ni allwn gymryd rwbel adeiladu nac asbestos.',
          },
          messages: {
            required: 'forms.bulkyWaste.itemDetails.required',
            tooLong: 'forms.bulkyWaste.itemDetails.tooLong',
          },
        },
      ],
    },
    {
      id: 'address',
      title: { en: 'Where should we collect from?', cy: 'O ble dylem ni gasglu?' },
      fields: [
        {
          type: 'text',
          name: 'addressLine1',
          required: true,
          maxLength: 100,
          autocomplete: 'address-line1',
          label: { en: 'Address line 1', cy: 'Llinell gyntaf y cyfeiriad' },
          messages: {
            required: 'forms.address.line1.required',
            tooLong: 'forms.address.line1.tooLong',
          },
        },
        {
          type: 'text',
          name: 'addressLine2',
          required: false,
          maxLength: 100,
          autocomplete: 'address-line2',
          label: { en: 'Address line 2 (optional)', cy: 'Ail linell y cyfeiriad (dewisol)' },
          messages: {
            required: 'forms.address.line2.tooLong',
            tooLong: 'forms.address.line2.tooLong',
          },
        },
        {
          type: 'text',
          name: 'town',
          required: true,
          maxLength: 60,
          autocomplete: 'address-level2',
          width: 'two-thirds',
          label: { en: 'Town or city', cy: 'Tref neu ddinas' },
          messages: {
            required: 'forms.address.town.required',
            tooLong: 'forms.address.town.tooLong',
          },
        },
        {
          type: 'postcode',
          name: 'postcode',
          required: true,
          label: { en: 'Postcode', cy: 'Cod post' },
          messages: {
            required: 'forms.address.postcode.required',
            invalid: 'forms.address.postcode.invalid',
          },
        },
      ],
    },
    {
      id: 'date',
      title: { en: 'When would you like the collection?', cy: 'Pryd hoffech chi i ni gasglu?' },
      fields: [
        {
          type: 'date',
          name: 'preferredDate',
          required: true,
          label: { en: 'When would you like the collection?', cy: 'Pryd hoffech chi i ni gasglu?' },
          hint: {
            en: 'Choose a weekday at least 3 days and no more than 8 weeks from today, for example 14 1 2027. We will confirm the date.',
            cy: 'Dewiswch ddiwrnod o’r wythnos o leiaf 3 diwrnod a dim mwy nag 8 wythnos o heddiw, er enghraifft 14 1 2027. Byddwn yn cadarnhau’r dyddiad.',
          },
          rule(date, today) {
            const days = daysBetween(today, date);
            if (days < BULKY_WASTE_EARLIEST_DAYS) return 'forms.bulkyWaste.date.tooSoon';
            if (days > BULKY_WASTE_LATEST_DAYS) return 'forms.bulkyWaste.date.tooLate';
            if (!isWeekday(date)) return 'forms.bulkyWaste.date.weekend';
            return undefined;
          },
          messages: {
            required: 'forms.bulkyWaste.date.required',
            incomplete: 'forms.bulkyWaste.date.incomplete',
            invalid: 'forms.bulkyWaste.date.invalid',
          },
        },
      ],
    },
  ],
};
