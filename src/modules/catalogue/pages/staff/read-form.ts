import { formText } from '../../../../platform/http/forms.js';
import type { ServiceContent, ServiceLevel } from '../../db/tables.js';
import type {
  Audience,
  BusinessStage,
  Category,
  Channel,
  CustomerGroup,
  InteractionType,
  LifeEvent,
  ProviderTier,
} from '../../vocabularies.js';

/** Every value of a checkbox group (one value arrives as a string, several as an array). */
function list(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

/** "12.50" or "£12.50" → 1250; '' → null; anything else → NaN (reported by contentProblems). */
export function penceOf(text: string): number | null {
  const cleaned = text.replace(/^£/, '').replace(/,/g, '').trim();
  if (!cleaned) return null;
  return /^\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned) * 100) : Number.NaN;
}

/** The service content from the staff edit form; vocabularies are checked by the command. */
export function readContent(body: unknown): ServiceContent {
  const text = (name: string) => formText(body, name);
  const kinds = new Set(list(body, 'channels'));
  const channels: Channel[] = [];
  if (kinds.has('online-here')) channels.push({ kind: 'online-here' });
  if (kinds.has('online-elsewhere'))
    channels.push({ kind: 'online-elsewhere', url: text('channelUrl') });
  if (kinds.has('phone'))
    channels.push({
      kind: 'phone',
      number: text('channelPhone'),
      hours: text('channelPhoneHours'),
      hoursCy: text('channelPhoneHoursCy'),
    });
  if (kinds.has('in-person'))
    channels.push({
      kind: 'in-person',
      address: text('channelAddress'),
      addressCy: text('channelAddressCy'),
      hours: text('channelOfficeHours'),
      hoursCy: text('channelOfficeHoursCy'),
    });
  if (kinds.has('post'))
    channels.push({
      kind: 'post',
      address: text('channelPostAddress'),
      addressCy: text('channelPostAddressCy'),
    });
  const eEnabled = new Set(list(body, 'eEnabled'));
  return {
    title: text('title'),
    titleCy: text('titleCy'),
    summary: text('summary'),
    summaryCy: text('summaryCy'),
    body: text('body'),
    bodyCy: text('bodyCy'),
    keywords: text('keywords'),
    audience: text('audience') as Audience,
    eligibility: text('eligibility'),
    eligibilityCy: text('eligibilityCy'),
    fees: text('fees'),
    feesCy: text('feesCy'),
    feePence: penceOf(text('feePounds')),
    channels,
    interactions: list(body, 'interactions').map((type) => ({
      type: type as InteractionType,
      eEnabled: eEnabled.has(type),
    })),
    providerTier: text('providerTier') as ProviderTier,
    lifeEvents: list(body, 'lifeEvents') as LifeEvent[],
    customerGroups: list(body, 'customerGroups') as CustomerGroup[],
    categories: list(body, 'categories') as Category[],
    businessStages: list(body, 'businessStages') as BusinessStage[],
    serviceKey: text('serviceKey').toLowerCase() || null,
    requiredLevel: Number(text('requiredLevel') || '1') as ServiceLevel,
  };
}

/** The form's field values for a service's content (the reverse of readContent). */
export function formValues(content: ServiceContent): Record<string, unknown> {
  const channel = <K extends Channel['kind']>(kind: K) =>
    content.channels.find((c): c is Extract<Channel, { kind: K }> => c.kind === kind);
  return {
    ...content,
    feePounds:
      content.feePence === null || Number.isNaN(content.feePence)
        ? ''
        : (content.feePence / 100).toFixed(2),
    channels: content.channels.map((c) => c.kind),
    channelUrl: channel('online-elsewhere')?.url ?? '',
    channelPhone: channel('phone')?.number ?? '',
    channelPhoneHours: channel('phone')?.hours ?? '',
    channelPhoneHoursCy: channel('phone')?.hoursCy ?? '',
    channelAddress: channel('in-person')?.address ?? '',
    channelAddressCy: channel('in-person')?.addressCy ?? '',
    channelOfficeHours: channel('in-person')?.hours ?? '',
    channelOfficeHoursCy: channel('in-person')?.hoursCy ?? '',
    channelPostAddress: channel('post')?.address ?? '',
    channelPostAddressCy: channel('post')?.addressCy ?? '',
    interactions: content.interactions.map((i) => i.type),
    eEnabled: content.interactions.filter((i) => i.eEnabled).map((i) => i.type),
    serviceKey: content.serviceKey ?? '',
    requiredLevel: String(content.requiredLevel),
  };
}
