// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", function (event) {
  // Show the server's Vietnamese message instead of failing silently.
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("div");
    box.id = "htmx-error";
    box.className = "alert error";
    box.setAttribute("role", "alert");
    document.getElementById("main").prepend(box);
  }
  box.textContent = "Không thực hiện được yêu cầu (mã lỗi " + event.detail.xhr.status + "). Hãy tải lại trang và thử lại.";
});

// The main menu folds behind its button on a narrow screen (the stylesheet decides what narrow is).
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".nav-toggle");
  var menu = document.getElementById("main-nav-list");
  if (!toggle || !menu) {
    return;
  }
  document.documentElement.classList.add("nav-foldable");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
});
