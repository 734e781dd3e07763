// A consumer of WS /api/v1/live in a process of its own, so that a test can freeze it (SIGSTOP):
// prints "open", then "frame N" for each fleet frame, and "closed CODE" when the socket closes.
// Usage: bun tests/helpers/live-consumer.ts WS_URL (token in HWM_TOKEN).
const url = process.argv[2];
if (!url) throw new Error("usage: live-consumer.ts WS_URL");
const ws = new WebSocket(url, {
  headers: { authorization: `Bearer ${process.env.HWM_TOKEN ?? ""}` },
} as unknown as string[]);
let received = 0;
ws.onopen = () => console.log("open");
ws.onmessage = (e) => {
  if (String(e.data).startsWith('{"type":"fleet"')) console.log(`frame ${++received}`);
};
ws.onclose = (e) => {
  console.log(`closed ${e.code}`);
  process.exit(0);
};

export {};
