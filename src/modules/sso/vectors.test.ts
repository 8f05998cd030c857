import { describe, expect, it } from 'vitest';
import { grantedVector, levelOfVector, parseVector, parseVtr } from './vectors.js';

describe('vectors of trust', () => {
  it('reads a single vector as its level', () => {
    expect(parseVtr('["Cl"]')).toEqual({ ok: true, level: 1, vectors: ['Cl'] });
    expect(parseVtr('["Cl.Cm"]')).toEqual({ ok: true, level: 2, vectors: ['Cl.Cm'] });
    expect(parseVtr('["Cl.Cm.P2"]')).toEqual({ ok: true, level: 3, vectors: ['Cl.Cm.P2'] });
  });

  it('treats several vectors as alternatives, so the lowest is enough', () => {
    expect(parseVtr('["Cl.Cm.P2","Cl.Cm"]')).toMatchObject({ ok: true, level: 2 });
  });

  it('asks for Cl.Cm when the relying party sends no vtr, as One Login does', () => {
    expect(parseVtr(undefined)).toMatchObject({ ok: true, level: 2 });
  });

  it('accepts components in any order and ignores P0', () => {
    expect(parseVector('P2.Cl.Cm')).toBe('Cl.Cm.P2');
    expect(parseVector('Cl.P0')).toBe('Cl');
  });

  it('refuses what it cannot honour', () => {
    for (const bad of [
      'Cl',
      '[]',
      '["Cm"]',
      '["Cl.P2"]',
      '["Cl.Cl"]',
      '["Cl.Xx"]',
      '[1]',
      '{',
      '"Cl"',
    ])
      expect(parseVtr(bad)).toEqual({ ok: false });
  });

  it('never reads an unknown session vector as more than a password', () => {
    expect(levelOfVector('Cl.Cm.P2')).toBe(3);
    expect(levelOfVector('nonsense')).toBe(1);
    expect(levelOfVector(undefined)).toBe(1);
  });

  it('grants the strongest asked-for vector the session meets, never more than asked', () => {
    expect(grantedVector(['Cl.Cm'], 3)).toBe('Cl.Cm');
    expect(grantedVector(['Cl', 'Cl.Cm.P2'], 3)).toBe('Cl.Cm.P2');
    expect(grantedVector(['Cl', 'Cl.Cm.P2'], 2)).toBe('Cl');
    expect(grantedVector(['Cl.Cm.P2'], 3)).toBe('Cl.Cm.P2');
  });
});
