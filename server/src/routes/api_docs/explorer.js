// Starts Swagger UI on the parts of the API document the caller may read
// (`swagger:getUrls`: more once signed in). A file, not an inline script,
// so the page's Content-Security-Policy can stay `script-src 'self'`.
"use strict";

async function definitions() {
  try {
    const answer = await fetch("/api/swagger:getUrls", { credentials: "same-origin" });
    if (answer.ok) {
      const { data } = await answer.json();
      if (Array.isArray(data) && data.length > 0) return data;
    }
  } catch (_) {
    // Offline or refused: the whole document still loads below.
  }
  return [{ name: "Ferrobase API", url: "/api/openapi.json" }];
}

definitions().then((urls) => {
  window.ui = SwaggerUIBundle({
    urls,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    // Never send the document to validator.swagger.io.
    validatorUrl: null,
    // Same-origin requests carry the session cookie; a key entered under
    // Authorize goes in `Authorization: Bearer` and wins over the cookie.
    withCredentials: true,
    persistAuthorization: false,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    filter: true,
    docExpansion: "none",
  });
});
