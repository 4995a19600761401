// The payload script of `bench serve` and `bench scale`: SNIPPET -> CONNECTAUTH -> CONNECTREQUEST, one
// upstream call per run against the demo API's agent lookup (the sample hub's "Agents API"). Input
// `target` replaces the URL (empty: the connection's own), so a bench can point runs at a fault.
export const PAYLOAD_SCRIPT = `SCRIPT "bench lookup"
PARAMS target
BEGIN start -> build
SNIPPET build {
  DYNAMIC requestPayload
  ASSIGN url = "[[INSTANCEURI]]/agents/A-100"
  IF target <> "" {
    ASSIGN url = target
  }
  ASSIGN requestPayload.URL = url
  ASSIGN requestPayload.HTTPMETHOD = "GET"
  ASSIGN payloadJSON = requestPayload.asjson()
}
  Error -> failed
CONNECTAUTH auth (connectName = "Agents API")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> failed
CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)
  OnSuccess -> ok
  OnError -> failed
  OnTimeout -> failed
SNIPPET ok {
  ASSIGN status = "ok"
  ASSIGN agent = requestBody.firstName
}
  -> done
END done
SNIPPET failed {
  ASSIGN status = "failed"
  ASSIGN reason = _ERR
}
  -> stop
END stop
`;
