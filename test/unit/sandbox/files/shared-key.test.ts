import { StorageSharedKeyCredential } from '@azure/storage-file-share'
import { describe, expect, it } from 'vitest'
import {
  canonicalizedHeaders,
  canonicalizedResource,
  compareHeaderNames,
  signatureMatches,
  stringToSign,
} from '../../../../sandbox/files/shared-key'

const key = Buffer.alloc(64, 9).toString('base64')

describe('Shared Key string-to-sign', () => {
  it('puts the verb, the standard headers and the canonicalized parts on their lines', () => {
    const toSign = stringToSign('acct', {
      method: 'put',
      url: new URL('https://127.0.0.1:1/acct/share/dir/f.bin?comp=range&timeout=30'),
      headers: {
        'content-length': '4',
        'content-type': 'application/octet-stream',
        range: 'bytes=0-3',
        'x-ms-write': 'update',
        'x-ms-version': '2026-10-06',
        'x-ms-date': 'Sat, 28 Nov 2026 00:00:00 GMT',
      },
    })
    expect(toSign).toBe(
      [
        'PUT',
        '', // Content-Encoding
        '', // Content-Language
        '4',
        '', // Content-MD5
        'application/octet-stream',
        '', // Date (x-ms-date is given)
        '',
        '',
        '',
        '',
        'bytes=0-3',
        'x-ms-date:Sat, 28 Nov 2026 00:00:00 GMT',
        'x-ms-version:2026-10-06',
        'x-ms-write:update',
        '/acct/acct/share/dir/f.bin',
        'comp:range',
        'timeout:30',
      ].join('\n'),
    )
  })

  it('leaves a zero Content-Length out, as version 2015-02-21 and later do', () => {
    const toSign = stringToSign('a', {
      method: 'GET',
      url: new URL('https://h/a/s'),
      headers: { 'content-length': '0' },
    })
    expect(toSign.split('\n')[3]).toBe('')
  })

  it('sorts query parameters, decodes their values and signs empty ones as Azure does', () => {
    const resource = canonicalizedResource(
      'acct',
      new URL(
        'https://h/acct/share/my%20dir?restype=directory&comp=list&Prefix=a%2Fb&marker=&include=Timestamps&include=Etag',
      ),
    )
    expect(resource).toBe(
      '/acct/acct/share/my%20dir\ncomp:list\ninclude:Etag,Timestamps\nmarker:\nprefix:a/b\nrestype:directory',
    )
  })

  it('orders x-ms- headers as the service does (hyphens break ties only)', () => {
    const names = [
      'x-ms-version',
      'x-ms-file-request-intent',
      'x-ms-file-attributes',
      'x-ms-date',
      'x-ms-content-length',
      'x-ms-type',
    ]
    expect([...names].sort(compareHeaderNames)).toEqual([
      'x-ms-content-length',
      'x-ms-date',
      'x-ms-file-attributes',
      'x-ms-file-request-intent',
      'x-ms-type',
      'x-ms-version',
    ])
    expect(canonicalizedHeaders({ 'x-ms-meta-b': ' 2', 'x-ms-meta-a': '1', host: 'h' })).toBe(
      'x-ms-meta-a:1\nx-ms-meta-b:2\n',
    )
  })

  it('agrees with the signature @azure/storage-file-share computes, under either key', () => {
    const toSign = 'GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-version:2026-10-06\n/acct/acct\ncomp:list'
    const sdkSignature = new StorageSharedKeyCredential('acct', key).computeHMACSHA256(toSign)
    const otherKey = Buffer.alloc(64, 1).toString('base64')
    expect(signatureMatches([key], toSign, sdkSignature)).toBe(true)
    expect(signatureMatches([otherKey, key], toSign, sdkSignature)).toBe(true)
    expect(signatureMatches([otherKey], toSign, sdkSignature)).toBe(false)
    expect(signatureMatches([key], `${toSign}x`, sdkSignature)).toBe(false)
    expect(signatureMatches([key], toSign, 'not base64!')).toBe(false)
  })
})
