// Follows a jury planning request while the solver works, without reloading the page (a reload every
// few seconds would move keyboard and screen-reader users back to the top: WCAG 2.2.1, axe "meta-refresh").
// The status sentence is a live region; when the request is finished a link to the result appears and
// polling stops. Without JavaScript the page keeps its "Actualiser" link.
(function () {
  "use strict";
  var suivi = document.querySelector("[data-suivi-url]");
  if (!suivi || !window.fetch) {
    return;
  }
  var texte = suivi.querySelector("[data-suivi-texte]");
  var lien = suivi.querySelector("[data-suivi-lien]");
  var intervalle = 5000;
  var echecs = 0;

  function interroger() {
    fetch(suivi.getAttribute("data-suivi-url"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error(String(reponse.status));
        }
        return reponse.json();
      })
      .then(function (etat) {
        echecs = 0;
        if (etat.en_cours) {
          texte.textContent = etat.message;
          window.setTimeout(interroger, intervalle);
          return;
        }
        texte.textContent = etat.message;
        lien.hidden = false;
        lien.textContent = "Afficher le résultat";
      })
      .catch(function () {
        echecs += 1;
        if (echecs < 5) {
          window.setTimeout(interroger, intervalle * echecs);
        } else {
          texte.textContent = "Le suivi automatique s'est interrompu : actualisez la page.";
          lien.hidden = false;
        }
      });
  }

  lien.hidden = true;
  window.setTimeout(interroger, intervalle);
})();
