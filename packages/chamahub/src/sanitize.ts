import sanitizeHtml from "sanitize-html";

/**
 * A chama description may carry simple formatting; anything that could run (scripts, event handlers,
 * `javascript:` links, styles, iframes) is removed by sanitize-html, a maintained allow-list sanitizer.
 */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ["p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "blockquote", "h3", "h4"],
    allowedAttributes: { a: ["href", "title", "rel"] },
    allowedSchemes: ["http", "https", "mailto"],
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }) },
  }).trim();
}
