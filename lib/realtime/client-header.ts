/**
 * The header Hibiki's own web client sends on every Socket.IO HTTP request (`extraHeaders`, value
 * `web`). Browsers send no Origin on a same-origin GET, so for a cookie-bearing long-polling GET this
 * header is what tells the page's own request apart from a `<script>`/`<img>` tag on another page of the
 * same site: such tags cannot set headers, and a cross-origin request that sets one needs a CORS
 * preflight, which fails for origins outside CORS_ORIGINS. Shared by the server's check and the client.
 */
export const CLIENT_HEADER = "x-hibiki-client";
