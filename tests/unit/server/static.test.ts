// The dashboard's pages carry the security headers; its chunks keep their own.
import { expect, test } from "bun:test";
import { DASHBOARD_CSP, securedStaticRoutes } from "../../../src/server/static.ts";

test("an HTML page gets the CSP, frame-ancestors and X-Frame-Options; a script keeps its headers", async () => {
  const routes = securedStaticRoutes({
    "/": new Response("<!doctype html>", {
      headers: { "content-type": "text/html;charset=utf-8", "cache-control": "no-cache" },
    }),
    "/chunk-abc.js": new Response("1", { headers: { "content-type": "text/javascript" } }),
  });
  const page = routes["/"] as Response;
  expect(page.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
  expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
  expect(DASHBOARD_CSP).toContain("script-src 'self'");
  expect(page.headers.get("x-frame-options")).toBe("DENY");
  expect(page.headers.get("cache-control")).toBe("no-cache");
  const chunk = routes["/chunk-abc.js"] as Response;
  expect(chunk.headers.get("content-security-policy")).toBeNull();
  expect(await chunk.text()).toBe("1");
});
