import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPublicKey, verify } from 'node:crypto';
import { formParams, oauthAuthorizationHeader, percentEncode, rsaPrivateKey, rsaSha1Signature, signatureBaseString } from '../../../reporting/jira/oauth1Signature.ts';

const test = suite('jiraOAuth1Signature');

test('percent-encodes per RFC 5849: unreserved kept, the rest as upper-case UTF-8 bytes', () => {
  assert.is(percentEncode("Ab9-._~ !*'()+/=&%"), 'Ab9-._~%20%21%2A%27%28%29%2B%2F%3D%26%25');
  assert.is(percentEncode('é☃'), '%C3%A9%E2%98%83');
});

test('reads query strings as forms: "+" is a space, empty values kept', () => {
  assert.equal(formParams('b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2'), [
    ['b5', '=%3D'],
    ['a3', 'a'],
    ['c@', ''],
    ['a2', 'r b'],
    ['c2', ''],
  ]);
  assert.equal(formParams('a3=2+q'), [['a3', '2 q']]);
});

test('builds the signature base string of RFC 5849 section 3.4.1.1', () => {
  const base = signatureBaseString(
    'post',
    'http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
    [
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['realm', 'Example'],
    ],
    formParams('c2&a3=2+q'),
  );
  assert.is(
    base,
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
  );
});

test('keeps a non-default port in the base string URI', () => {
  const base = signatureBaseString('GET', 'https://jira.example.com:8443/jira/rest/api/2/myself', []);
  assert.is(base, 'GET&https%3A%2F%2Fjira.example.com%3A8443%2Fjira%2Frest%2Fapi%2F2%2Fmyself&');
});

// The RSA-SHA1 test case of the OAuth core test suite (wiki.oauth.net TestCases, section 9.3):
// its published test key, base string and signature.
const TEST_CASE_KEY = `-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALRiMLAh9iimur8V
A7qVvdqxevEuUkW4K+2KdMXmnQbG9Aa7k7eBjK1S+0LYmVjPKlJGNXHDGuy5Fw/d
7rjVJ0BLB+ubPK8iA/Tw3hLQgXMRRGRXXCn8ikfuQfjUS1uZSatdLB81mydBETlJ
hI6GH4twrbDJCR2Bwy/XWXgqgGRzAgMBAAECgYBYWVtleUzavkbrPjy0T5FMou8H
X9u2AC2ry8vD/l7cqedtwMPp9k7TubgNFo+NGvKsl2ynyprOZR1xjQ7WgrgVB+mm
uScOM/5HVceFuGRDhYTCObE+y1kxRloNYXnx3ei1zbeYLPCHdhxRYW7T0qcynNmw
rn05/KO2RLjgQNalsQJBANeA3Q4Nugqy4QBUCEC09SqylT2K9FrrItqL2QKc9v0Z
zO2uwllCbg0dwpVuYPYXYvikNHHg+aCWF+VXsb9rpPsCQQDWR9TT4ORdzoj+Nccn
qkMsDmzt0EfNaAOwHOmVJ2RVBspPcxt5iN4HI7HNeG6U5YsFBb+/GZbgfBT3kpNG
WPTpAkBI+gFhjfJvRw38n3g/+UeAkwMI2TJQS4n8+hid0uus3/zOjDySH3XHCUno
cn1xOJAyZODBo47E+67R4jV1/gzbAkEAklJaspRPXP877NssM5nAZMU0/O/NGCZ+
3jPgDUno6WbJn5cqm8MqWhW1xGkImgRk+fkDBquiq4gPiT898jusgQJAd5Zrr6Q8
AO/0isr/3aa6O6NLQxISLKcPDk2NOccAfS/xOtfOz4sJYM3+Bs4Io9+dZGSDCA54
Lw03eHTNQghS0A==
-----END PRIVATE KEY-----
`;
const TEST_CASE_SIGNATURE =
  'jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=';

test('signs the OAuth test case with RSA-SHA1 exactly as published', () => {
  const base = signatureBaseString('GET', 'http://photos.example.net/photos?file=vacaction.jpg&size=original', [
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_nonce', '13917289812797014437'],
    ['oauth_signature_method', 'RSA-SHA1'],
    ['oauth_timestamp', '1196666512'],
    ['oauth_version', '1.0'],
  ]);
  assert.is(
    base,
    'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacaction.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D13917289812797014437%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1196666512%26oauth_version%3D1.0%26size%3Doriginal',
  );
  assert.is(rsaSha1Signature(base, rsaPrivateKey(TEST_CASE_KEY)), TEST_CASE_SIGNATURE);
});

test('writes an Authorization header whose signature verifies over the request', () => {
  const privateKey = rsaPrivateKey(TEST_CASE_KEY);
  const header = oauthAuthorizationHeader(
    { consumerKey: 'hammer', accessToken: 'tok en', privateKey },
    { method: 'GET', url: 'https://jira.example.com/rest/api/2/user/assignable/search?project=AWSSEC&query=Support%20Cloud', timestamp: 1700000000, nonce: 'n1' },
  );
  const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2] ?? '')]));
  assert.ok(header.startsWith('OAuth '));
  assert.equal(Object.keys(params).sort(), ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_token', 'oauth_version']);
  assert.is(params.oauth_token, 'tok en');
  const base =
    'GET&https%3A%2F%2Fjira.example.com%2Frest%2Fapi%2F2%2Fuser%2Fassignable%2Fsearch&oauth_consumer_key%3Dhammer%26oauth_nonce%3Dn1%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dtok%2520en%26oauth_version%3D1.0%26project%3DAWSSEC%26query%3DSupport%2520Cloud';
  assert.ok(verify('sha1', Buffer.from(base), createPublicKey(privateKey), Buffer.from(params.oauth_signature ?? '', 'base64')));
});

test('refuses a key that is not an RSA private key', () => {
  assert.throws(() => rsaPrivateKey('not a key'));
});

test.run();
