// The flow the hub cache tests run: one CONNECTREQUEST of request "Echo" of a connection, with a
// payload whose URL and header name secrets ([[BASE]], [[api key]]) the hub substitutes at send time.

/** The flow calling `conn`'s "Echo" request with input `payload`; ends in `ok` or `bad`. */
export const echoScript = (conn = 'Echo API'): string => `PARAMS payload
BEGIN start -> call
CONNECTREQUEST call (connectName = "${conn}", requestName = "Echo", requestPayload = payload)
  OnSuccess -> ok
  OnError -> bad
  OnTimeout -> bad
END ok
END bad
`;

/** GET [[BASE]]/echo with header X-Key: [[api key]]. */
export const ECHO_PAYLOAD = JSON.stringify({ URL: '[[BASE]]/echo', HTTPMETHOD: 'GET', HEADERS: { 'X-Key': '[[api key]]' } });
