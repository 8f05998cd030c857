import { describe, expect, it } from 'vitest';
import {
  amzDate,
  authorization,
  canonicalRequest,
  EMPTY_SHA256,
  signature,
  stringToSign,
  uriEncode,
  type SigningInput,
} from './sigv4.js';

// AWS's Signature Version 4 test suite, "get-vanilla":
// https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html
const GET_VANILLA: SigningInput = {
  method: 'GET',
  url: new URL('https://example.amazonaws.com/'),
  headers: { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' },
  payloadHash: EMPTY_SHA256,
  region: 'us-east-1',
  service: 'service',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  amzDate: '20150830T123600Z',
};

// The S3 documentation's example "GET Object" (the first 10 bytes of test.txt in examplebucket):
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
const S3_GET_OBJECT: SigningInput = {
  method: 'GET',
  url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY_SHA256,
    'x-amz-date': '20130524T000000Z',
  },
  payloadHash: EMPTY_SHA256,
  region: 'us-east-1',
  service: 's3',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  amzDate: '20130524T000000Z',
};

describe('AWS Signature Version 4', () => {
  it('signs AWS’s "get-vanilla" test request exactly as AWS does', () => {
    expect(canonicalRequest(GET_VANILLA)).toBe(
      [
        'GET',
        '/',
        '',
        'host:example.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'host;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(stringToSign(GET_VANILLA)).toBe(
      [
        'AWS4-HMAC-SHA256',
        '20150830T123600Z',
        '20150830/us-east-1/service/aws4_request',
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
      ].join('\n'),
    );
    expect(authorization(GET_VANILLA)).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs the S3 documentation’s GET Object example exactly as the documentation does', () => {
    expect(stringToSign(S3_GET_OBJECT)).toBe(
      [
        'AWS4-HMAC-SHA256',
        '20130524T000000Z',
        '20130524/us-east-1/s3/aws4_request',
        '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
      ].join('\n'),
    );
    expect(signature(S3_GET_OBJECT)).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('sorts and encodes the query, and changes the signature when anything signed changes', () => {
    const withQuery = { ...GET_VANILLA, url: new URL('https://example.amazonaws.com/?b=2&a=1 x') };
    expect(canonicalRequest(withQuery).split('\n')[2]).toBe('a=1%20x&b=2');
    expect(signature({ ...GET_VANILLA, method: 'PUT' })).not.toBe(signature(GET_VANILLA));
    expect(signature({ ...GET_VANILLA, secretAccessKey: 'other' })).not.toBe(
      signature(GET_VANILLA),
    );
  });

  it('encodes as RFC 3986 and writes AWS dates', () => {
    expect(uriEncode("a b!'()*~")).toBe('a%20b%21%27%28%29%2A~');
    expect(amzDate(new Date('2026-03-04T05:06:07.890Z'))).toBe('20260304T050607Z');
  });
});
