/**
 * Who may edit a service's form. A form belongs to the services that use it, so whoever may edit
 * every one of those services (the catalogue's `canEditService`: service owners and admins of the
 * body, unless another owner is named on the service) may edit the form too; a platform admin may
 * edit any form. A form two bodies share is edited by someone who may edit both: a Stroud service
 * owner never changes what Cheltenham's applicants are asked.
 */
import type { CurrentUser } from '../../../../platform/http/types.js';
import {
  canEditService,
  canManageCatalogue,
  type ServiceWithForm,
} from '../../../catalogue/index.js';
import { isPlatformAdmin } from '../../../identity/index.js';

/** The parts of a service using a form that the policy looks at. */
export type FormUser = Pick<ServiceWithForm, 'organisation' | 'ownerUserId'>;

/** Staff who may open the form editor at all: the catalogue's staff (service owners, admins). */
export function canUseFormEditor(user: CurrentUser | null): boolean {
  return canManageCatalogue(user);
}

/**
 * Whether the user may open, change and publish a form used by these services. A form no service
 * uses is a platform admin's to edit.
 *
 * @example canEditForm(owner, await servicesWithForms(db, { formKey: 'bulky-waste' }))
 */
export function canEditForm(user: CurrentUser | null, services: readonly FormUser[]): boolean {
  if (isPlatformAdmin(user)) return true;
  if (!canUseFormEditor(user) || services.length === 0) return false;
  return services.every((service) =>
    canEditService(user, {
      organisation_id: service.organisation.id,
      owner_user_id: service.ownerUserId,
    }),
  );
}
