// The dashboard's public static routes for Bun.serve: "/" and its hashed JS/CSS chunks, bundled
// into the executable. Hashed chunks are cached for a year; the HTML is revalidated every time.
import index from "./index.html";

const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

export type StaticRoutes = Record<string, Bun.HTMLBundle | Response>;

/**
 * From source, Bun bundles the HTML import on the first request and sets the cache headers
 * itself. In a compiled binary the bundle is a manifest of embedded files that Bun serves without
 * Cache-Control, so we serve those files ourselves: the HTML at "/", every chunk at the root path
 * the HTML refers to.
 */
export function staticRoutesFor(bundle: Bun.HTMLBundle): StaticRoutes {
  const files = bundle.files;
  if (!files || files.length === 0) return { "/": bundle };
  const routes: StaticRoutes = {};
  for (const file of files) {
    const html = file.loader === "html";
    const headers = {
      "content-type": file.headers["content-type"],
      etag: file.headers.etag,
      "cache-control": html ? REVALIDATE : IMMUTABLE,
      "x-content-type-options": "nosniff",
    };
    const body = Bun.file(file.path);
    const name = file.path.slice(file.path.lastIndexOf("/") + 1);
    routes[html ? "/" : `/${name}`] = new Response(body, { headers });
  }
  return routes;
}

export const webRoutes: StaticRoutes = staticRoutesFor(index);
