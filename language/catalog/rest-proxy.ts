// Catalog entries: host object types. `GetRESTProxy()` returns a RestProxy (documented members).
import type { HostTypeEntry } from '../catalog-types.js';
import { opt, req } from './define.js';

export const REST_PROXY: HostTypeEntry = {
  name: 'RestProxy',
  description: 'An HTTP client object from `GetRESTProxy()`; responses are limited to 32 KB and parsed into dynamic objects.',
  members: [
    {
      name: 'StatusCode', kind: 'property', params: [], returns: 'number', readOnly: true, provenance: 'D',
      description: 'The HTTP status of the last MakeRestRequest; -1 when the request failed (connection, timeout, too large or unparseable response).',
      example: 'proxy.StatusCode  // 201',
    },
    {
      name: 'StatusDescription', kind: 'property', params: [], returns: 'text', readOnly: true, provenance: 'D',
      description: 'The HTTP status text of the last MakeRestRequest, or what went wrong when StatusCode is -1.',
      example: 'proxy.StatusDescription  // "Created"',
    },
    {
      name: 'ContentType', kind: 'property', params: [], returns: 'text', default: 'application/x-www-form-urlencoded', provenance: 'D',
      description: 'The Content-Type header of requests with a body; set `application/json` to send JSON.',
      example: 'proxy.ContentType = "application/json"',
    },
    {
      name: 'ProxyTimeoutSeconds', kind: 'property', params: [], returns: 'number', default: '10', provenance: 'D',
      description: 'The request timeout in seconds (more than 0, at most 90, as the REST API action allows).',
      example: 'proxy.ProxyTimeoutSeconds = 30',
    },
    {
      name: 'AddHeader', kind: 'method', params: [req('name', 'text'), req('value', 'text')], returns: 'none', provenance: 'R',
      description: 'Adds a request header to every following request of this proxy (a second value for the same name is added too).',
      example: 'proxy.AddHeader("Authorization", "Bearer {token}")',
    },
    {
      name: 'EncodeBase64', kind: 'method', params: [req('text', 'text')], returns: 'text', provenance: 'R',
      description: 'Base64 of the text\'s UTF-8 bytes (for Basic authentication).',
      example: 'GetRESTProxy().EncodeBase64("a:b")  // "YTpi"',
    },
    {
      name: 'MakeRestRequest', kind: 'method', async: true, returns: 'dynamic', provenance: 'D',
      params: [
        req('url', 'text', 'http or https'),
        req('payload', 'text', 'the request body; "" for none'),
        req('parser', 'number', '0 JSON, 1 XML, 2 JSON ignoring the body, 3 XML ignoring the body'),
        opt('verb', 'text', 'GET, POST, PUT, PATCH, DELETE ...; default POST with a payload, else GET'),
      ],
      description: 'Sends the request and returns the response body as a dynamic object (empty for selectors 2/3, an empty body, or a failure); sets StatusCode and StatusDescription.',
      example: 'result = proxy.MakeRestRequest(url, body, 0, "POST")',
    },
  ],
};
