// Swagger UI for yacang's API docs, served from this server (no CDN): the bundle comes from npm's swagger-ui-dist.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
