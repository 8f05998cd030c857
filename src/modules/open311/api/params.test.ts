import { describe, expect, it } from 'vitest';
import { readListParams, readReportParams } from './params.js';

describe('readReportParams', () => {
  it('reads a form-encoded body as the spec sends it, attributes and lists included', () => {
    const read = readReportParams({
      api_key: ' key ',
      service_code: 'report-a-pothole',
      lat: '51.733388',
      long: '-2.215615',
      'attribute[surface]': 'road',
      'attribute[waste][]': ['bags', 'tyres'],
      'attribute[one][]': 'only',
      email: 'sam@example.com',
      device_id: 'ignored',
      media_url: 'https://example.org/a.jpg',
    });
    expect(read).toEqual({
      ok: true,
      params: expect.objectContaining({
        apiKey: 'key',
        serviceCode: 'report-a-pothole',
        latitude: 51.733388,
        longitude: -2.215615,
        email: 'sam@example.com',
        mediaUrl: 'https://example.org/a.jpg',
        attributes: { surface: 'road', waste: ['bags', 'tyres'], one: ['only'] },
      }),
    });
  });

  it('reads a JSON body’s attribute object too', () => {
    const read = readReportParams({
      attribute: { surface: 'road', waste: ['bags'] },
      lat: 51.7,
      long: -2.2,
    });
    expect(read.ok && read.params).toMatchObject({
      latitude: 51.7,
      longitude: -2.2,
      attributes: { surface: 'road', waste: ['bags'] },
    });
  });

  it('refuses one coordinate without the other, out of range or not a number', () => {
    for (const [lat, long] of [
      ['51.7', ''],
      ['', '-2.2'],
      ['90.1', '0'],
      ['0', '-180.5'],
      ['1e2', '0'],
      ['NaN', '0'],
      ['0x10', '0'],
    ])
      expect(readReportParams({ lat, long }), `${lat},${long}`).toEqual({
        ok: false,
        problems: [{ key: 'open311.param.latLong' }],
      });
  });

  it('refuses a repeated field, one too long, a non-UPRN address_id and a media_url that is not http(s)', () => {
    const read = readReportParams({
      email: ['a@example.com', 'b@example.com'],
      description: 'x'.repeat(4001),
      address_id: 'UPRN-1',
      media_url: 'ftp://example.org/a.jpg',
      'attribute[x]': { nested: true },
    });
    expect(read.ok ? [] : read.problems.map((p) => p.key).sort()).toEqual([
      'open311.param.addressId',
      'open311.param.attribute',
      'open311.param.mediaUrl',
      'open311.param.once',
      'open311.param.tooLong',
    ]);
  });

  it('treats anything that is not an object as an empty body', () => {
    expect(readReportParams('api_key=x')).toMatchObject({ ok: true, params: { apiKey: '' } });
  });
});

describe('readListParams', () => {
  const NOW = new Date('2026-11-24T12:00:00Z');
  const DAY = 24 * 3600 * 1000;

  it('covers the last 90 days when no date is given', () => {
    const read = readListParams({}, NOW);
    expect(read.ok && read.params.to).toEqual(NOW);
    expect(read.ok && read.params.from).toEqual(new Date(NOW.getTime() - 90 * DAY));
  });

  it('covers 90 days from a start date, or up to an end date', () => {
    const from = readListParams({ start_date: '2026-01-01T00:00:00Z' }, NOW);
    expect(from.ok && from.params.to).toEqual(
      new Date(Date.parse('2026-01-01T00:00:00Z') + 90 * DAY),
    );
    const to = readListParams({ end_date: '2026-06-01' }, NOW);
    expect(to.ok && to.params.from).toEqual(new Date(Date.parse('2026-06-01') - 90 * DAY));
  });

  it('reads comma-separated lists, ids in capitals', () => {
    const read = readListParams(
      {
        service_request_id: 'ju-2222-2222, JU-3333-3333',
        service_code: 'a,b',
        status: 'open,closed',
      },
      NOW,
    );
    expect(read.ok && read.params).toMatchObject({
      ids: ['JU-2222-2222', 'JU-3333-3333'],
      codes: ['a', 'b'],
      statuses: ['open', 'closed'],
    });
  });

  it('refuses dates without a time zone or out of order, a window over 90 days, and other statuses', () => {
    const problems = (query: Record<string, string>) => {
      const read = readListParams(query, NOW);
      return read.ok ? [] : read.problems.map((p) => p.key);
    };
    expect(problems({ start_date: '2026-01-01T09:00:00' })).toEqual(['open311.param.date']);
    expect(
      problems({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }),
    ).toEqual(['open311.param.dateOrder']);
    expect(
      problems({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-02T00:00:00Z' }),
    ).toEqual(['open311.param.window']);
    expect(
      problems({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00+00:00' }),
    ).toEqual([]);
    expect(problems({ status: 'pending' })).toEqual(['open311.param.status']);
  });
});
