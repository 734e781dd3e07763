// The dashboard's static routes with the headers that keep the page to itself: a Content
// Security Policy (scripts, styles and connections from this node only; no framing) and the
// X-Frame-Options of browsers that predate frame-ancestors.
import { basename } from "node:path";

/**
 * What the page needs and nothing more: its own scripts and styles (uPlot and Preact set inline
 * style attributes, hence 'unsafe-inline' for styles only), the inline SVG icon (data:), and
 * fetch/WebSocket to its own origin. frame-ancestors 'none': no other site can frame the
 * dashboard under a decoy (clickjacking), which only a header can say, not a <meta>.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE_HEADERS = {
  "content-security-policy": DASHBOARD_CSP,
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

export type StaticRoute = Bun.HTMLBundle | Response;
type RouteHandler = (req: Request) => Response | Promise<Response>;

/** Where the chunks of a bundle built from source are served. */
const SOURCE_CHUNKS = "/_hwm/";

/**
 * From source, Bun would bundle an HTML import itself and serve it with headers of its own
 * choosing; so it is bundled here instead, on the first request (as Bun would), and served with
 * ours. Compiled binaries hand over ready Responses, which only need the headers added.
 */
function builtOnDemand(bundle: Bun.HTMLBundle): Record<string, RouteHandler> {
  let built: Promise<Map<string, Response>> | null = null;
  const build = () => {
    built ??= Bun.build({
      entrypoints: [bundle.index],
      target: "browser",
      minify: true,
      publicPath: SOURCE_CHUNKS,
      naming: "[name]-[hash].[ext]",
    }).then((result) => {
      if (!result.success) throw new AggregateError(result.logs, "the dashboard failed to build");
      const files = new Map<string, Response>();
      for (const output of result.outputs) {
        const html = output.path.endsWith(".html");
        files.set(
          html ? "/" : `${SOURCE_CHUNKS}${basename(output.path)}`,
          new Response(output, {
            headers: {
              "content-type": output.type,
              "cache-control": html ? "no-cache" : "public, max-age=31536000, immutable",
              "x-content-type-options": "nosniff",
              ...(html ? PAGE_HEADERS : {}),
            },
          }),
        );
      }
      return files;
    });
    return built;
  };
  const serveFile = async (req: Request): Promise<Response> => {
    const file = (await build()).get(new URL(req.url).pathname);
    return file ? file.clone() : new Response("not found", { status: 404 });
  };
  return { "/": serveFile, [`${SOURCE_CHUNKS}*`]: serveFile };
}

/** The routes for Bun.serve, each HTML page with the security headers. */
export function securedStaticRoutes(
  routes: Readonly<Record<string, StaticRoute>>,
): Record<string, Response | RouteHandler> {
  const secured: Record<string, Response | RouteHandler> = {};
  for (const [path, route] of Object.entries(routes)) {
    if (!(route instanceof Response)) {
      Object.assign(secured, builtOnDemand(route));
      continue;
    }
    if (route.headers.get("content-type")?.startsWith("text/html")) {
      for (const [name, value] of Object.entries(PAGE_HEADERS)) route.headers.set(name, value);
    }
    secured[path] = route;
  }
  return secured;
}
