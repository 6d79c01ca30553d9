package web

import "net/http"

type homePage struct {
	// Modules are the built modules the user may open, as nav items.
	Modules []navItem
	// Planned are the catalogue keys of modules not yet built; the home
	// page names them in plain words and links nowhere.
	Planned []string
}

var plannedModules = []string{"planned.cases", "planned.identification", "planned.analytics", "planned.directory"}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	var mods []navItem
	for _, n := range nav(st.actor, r.URL.Path) {
		if n.Href != "/" {
			mods = append(mods, n)
		}
	}
	s.render(w, r, http.StatusOK, "home", homePage{Modules: mods, Planned: plannedModules})
	return nil
}
