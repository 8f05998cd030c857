import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../../identity/index.js';
import { canEditForm, canUseFormEditor } from './policy.js';

const stroud = { organisation: { id: 'stroud', name: 'Stroud', nameCy: null }, ownerUserId: null };
const cheltenham = {
  organisation: { id: 'cheltenham', name: 'Cheltenham', nameCy: null },
  ownerUserId: null,
};

describe('who may edit a form', () => {
  it('a service owner of the body whose service uses it may', () => {
    expect(canEditForm(aStaffMember('stroud', ['service-owner']), [stroud])).toBe(true);
  });

  it('a service owner of another body may not', () => {
    expect(canEditForm(aStaffMember('stroud', ['service-owner']), [cheltenham])).toBe(false);
  });

  it('a service owner may not edit a form another body’s service shares', () => {
    expect(canEditForm(aStaffMember('stroud', ['service-owner']), [stroud, cheltenham])).toBe(
      false,
    );
  });

  it('a caseworker of the body may not, nor open the editor', () => {
    const caseworker = aStaffMember('stroud', ['caseworker']);
    expect(canEditForm(caseworker, [stroud])).toBe(false);
    expect(canUseFormEditor(caseworker)).toBe(false);
  });

  it('a service owner not named on a service another owner is named on may not', () => {
    const named = { ...stroud, ownerUserId: 'priya' };
    expect(canEditForm(aStaffMember('stroud', ['service-owner'], { id: 'sam' }), [named])).toBe(
      false,
    );
    expect(canEditForm(aStaffMember('stroud', ['service-owner'], { id: 'priya' }), [named])).toBe(
      true,
    );
  });

  it('nobody but a platform admin edits a form no service uses', () => {
    expect(canEditForm(aStaffMember('stroud', ['service-owner']), [])).toBe(false);
    expect(canEditForm(aStaffMember('cabinet-office', ['platform-admin']), [])).toBe(true);
  });

  it('a platform admin edits every body’s forms', () => {
    const admin = aStaffMember('cabinet-office', ['platform-admin']);
    expect(canEditForm(admin, [stroud, cheltenham])).toBe(true);
    expect(canUseFormEditor(admin)).toBe(true);
  });

  it('citizens and visitors may not', () => {
    expect(canEditForm(aCitizen(), [stroud])).toBe(false);
    expect(canEditForm(null, [stroud])).toBe(false);
    expect(canUseFormEditor(null)).toBe(false);
  });
});
