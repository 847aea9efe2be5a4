// The API documentation page (templates/api/docs.html): Swagger UI on the schema, from a
// static file so that the strict Content-Security-Policy (no inline script) holds.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    // Reading the schema uses the session; calls made from "Try it out" send the token only.
    requestInterceptor: function (request) {
      request.headers["Accept"] = request.headers["Accept"] || "application/json";
      return request;
    },
  });
})();
