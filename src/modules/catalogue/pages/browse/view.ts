/**
 * What the browsing pages (and the home page's browse lists) share: how a count of services
 * reads, breadcrumbs, a body's name and kind in the reader's language, and title order.
 */
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import type { OrganisationRow } from '../../../organisations/index.js';
import type { PublicService } from '../../queries/services.js';

/** "1 service", "9 services"; in Welsh "1 gwasanaeth", "9 gwasanaeth" (singular after a numeral). */
export function serviceCount(t: Translate, count: number): string {
  if (count === 0) return t('catalogue.browse.count.none');
  if (count === 1) return t('catalogue.browse.count.one');
  return t('catalogue.browse.count.other', { count });
}

/** GOV.UK breadcrumbs from the home page down to, not including, the page itself. */
export function breadcrumbs(
  t: Translate,
  ...trail: { text: string; href: string }[]
): { text: string; href: string }[] {
  return [{ text: t('catalogue.browse.home'), href: '/' }, ...trail];
}

/** A body's name in the reader's language: the Welsh name when there is one. */
export function nameOf(organisation: Pick<OrganisationRow, 'name' | 'name_cy'>, locale: Locale) {
  return (locale === 'cy' ? organisation.name_cy : null) ?? organisation.name;
}

/** "County council", "Government department"… for an organisation's `type`. */
export function typeLabel(t: Translate, type: string): string {
  return t(`catalogue.browse.bodyType.${type}`);
}

/** Government departments and their agencies; every other body is local, from the reader's side. */
export function isCentral(type: string | undefined): boolean {
  return type === 'central-department' || type === 'executive-agency';
}

/**
 * Services by title in the reader's alphabet (Welsh "Ch" after "Cy"), then by body, so that
 * several bodies' versions of one service sit together.
 */
export function byTitle(services: readonly PublicService[], locale: Locale): PublicService[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return [...services].sort(
    (a, b) =>
      collator.compare(a.title, b.title) ||
      collator.compare(a.organisation.name, b.organisation.name),
  );
}

/** A service as the lists of the browsing pages show it. */
export function listItem(service: PublicService) {
  return {
    href: `/services/${service.slug}`,
    title: service.title,
    summary: service.summary,
    body: service.organisation.name,
  };
}
