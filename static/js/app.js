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
