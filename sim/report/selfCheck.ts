/**
 * The few lines of inline script in each HTML report, which check only the page itself
 * (the browser test, test/sim-report-browser.test.ts, reads what they write): every
 * plot has a non-empty box with marks in it, and any script error or blocked fetch
 * (the Content-Security-Policy forbids every fetch) is written into <body data-errors>.
 */

/** The script, where `marks` is the CSS selector of what a drawn plot must contain. */
export function selfCheck(marks: string): string {
  return `
(function () {
  var errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message || e)); document.body.setAttribute("data-errors", errors.join(" | ")); });
  document.addEventListener("securitypolicyviolation", function (e) { errors.push("blocked " + e.blockedURI); document.body.setAttribute("data-errors", errors.join(" | ")); });
  window.addEventListener("load", function () {
    var plots = document.querySelectorAll("svg[data-plot]");
    var ok = [];
    for (var i = 0; i < plots.length; i++) {
      var b = plots[i].getBBox();
      if (b.width > 0 && b.height > 0 && plots[i].querySelectorAll(${JSON.stringify(marks)}).length > 0) ok.push(plots[i].getAttribute("data-plot"));
    }
    document.body.setAttribute("data-plots", String(plots.length));
    document.body.setAttribute("data-plots-rendered", ok.join(","));
    document.body.setAttribute("data-errors", errors.join(" | "));
  });
})();
`;
}
