import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canCreateServiceFor, canEditService, canManageCatalogue } from './services.js';

const stroudService = { organisation_id: 'stroud', owner_user_id: null };
const ownedByPriya = { organisation_id: 'stroud', owner_user_id: 'priya' };

describe('catalogue policies', () => {
  it('a service owner of the body may edit its unowned services', () => {
    expect(canEditService(aStaffMember('stroud', ['service-owner']), stroudService)).toBe(true);
  });

  it('a service owner of another body may not', () => {
    expect(canEditService(aStaffMember('cheltenham', ['service-owner']), stroudService)).toBe(
      false,
    );
  });

  it('a caseworker of the body may not edit its services or see the staff pages', () => {
    const caseworker = aStaffMember('stroud', ['caseworker']);
    expect(canEditService(caseworker, stroudService)).toBe(false);
    expect(canManageCatalogue(caseworker)).toBe(false);
  });

  it('a service owner may not edit a service another owner of the body is named on', () => {
    const other = aStaffMember('stroud', ['service-owner'], { id: 'sam' });
    expect(canEditService(other, ownedByPriya)).toBe(false);
    const priya = aStaffMember('stroud', ['service-owner'], { id: 'priya' });
    expect(canEditService(priya, ownedByPriya)).toBe(true);
  });

  it('an admin of the body edits all of its services, but not another body’s', () => {
    const admin = aStaffMember('stroud', ['admin']);
    expect(canEditService(admin, ownedByPriya)).toBe(true);
    expect(canEditService(admin, { organisation_id: 'bristol', owner_user_id: null })).toBe(false);
  });

  it('a platform admin edits every body’s services', () => {
    const platform = aStaffMember('cabinet-office', ['platform-admin']);
    expect(canEditService(platform, ownedByPriya)).toBe(true);
    expect(canCreateServiceFor(platform, 'bristol')).toBe(true);
  });

  it('citizens and visitors may not edit or add services', () => {
    expect(canEditService(aCitizen(), stroudService)).toBe(false);
    expect(canEditService(null, stroudService)).toBe(false);
    expect(canManageCatalogue(aCitizen())).toBe(false);
    expect(canCreateServiceFor(aCitizen(), 'stroud')).toBe(false);
  });

  it('service owners add services only to their own body', () => {
    const owner = aStaffMember('stroud', ['service-owner']);
    expect(canCreateServiceFor(owner, 'stroud')).toBe(true);
    expect(canCreateServiceFor(owner, 'bristol')).toBe(false);
  });

  it('an admin of the body adds services to it; a caseworker of the body may not', () => {
    expect(canCreateServiceFor(aStaffMember('stroud', ['admin']), 'stroud')).toBe(true);
    expect(canCreateServiceFor(aStaffMember('stroud', ['admin']), 'cheltenham')).toBe(false);
    expect(canCreateServiceFor(aStaffMember('stroud', ['caseworker']), 'stroud')).toBe(false);
  });
});
