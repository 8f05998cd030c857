import type { FormDefinition } from './definition.js';
import { bulkyWasteForm } from './definitions/bulky-waste.js';

const FORMS: ReadonlyMap<string, FormDefinition> = new Map([[bulkyWasteForm.key, bulkyWasteForm]]);

/** The form a service uses, by the key the service names. */
export function formFor(key: string | null): FormDefinition | undefined {
  return key ? FORMS.get(key) : undefined;
}

export function formKeys(): string[] {
  return [...FORMS.keys()];
}
