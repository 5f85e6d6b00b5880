// Click the picture on an image's change form to set its focal point (fractions of width and height).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
    const picker = document.querySelector(".focal-picker");
    const inputX = document.getElementById("id_focal_x");
    const inputY = document.getElementById("id_focal_y");
    if (!picker || !inputX || !inputY) {
        return;
    }
    const picture = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    function place(x, y) {
        marker.style.left = (x * 100) + "%";
        marker.style.top = (y * 100) + "%";
    }
    place(parseFloat(inputX.value) || 0.5, parseFloat(inputY.value) || 0.5);
    picture.addEventListener("click", function (event) {
        const box = picture.getBoundingClientRect();
        const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
        const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
        inputX.value = x.toFixed(4);
        inputY.value = y.toFixed(4);
        place(x, y);
    });
    [inputX, inputY].forEach(function (input) {
        input.addEventListener("input", function () {
            place(parseFloat(inputX.value) || 0, parseFloat(inputY.value) || 0);
        });
    });
});
