package database

import (
	"context"
	"fmt"
	"strings"
)

// conds collects the conditions of a WHERE clause and their arguments, and
// numbers the placeholders $1…$n in order (the one placeholder syntax both
// engines read). A condition is written with ?, and every ? in it stands for
// the one value given with it, so `(a LIKE ? OR b LIKE ?)` binds one value
// twice.
type conds struct {
	where []string
	args  []any
}

func (c *conds) add(cond string, v any) {
	c.args = append(c.args, v)
	c.where = append(c.where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(c.args))))
}

// clause returns " WHERE …" joining the conditions with AND, or "".
func (c *conds) clause() string {
	if len(c.where) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(c.where, " AND ")
}

// listByID reads one keyset page: the rows of table matching c, in id order,
// at most limit of them, and the id to continue after ("" on the last page).
// Ids are UUIDv7, so id order is creation order and a page never skips or
// repeats a row that is inserted meanwhile.
func listByID[T any](ctx context.Context, q querier, cols, table string, c *conds, limit int,
	scan func(interface{ Scan(...any) error }) (T, error), idOf func(T) string) ([]T, string, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM `+table+c.clause()+fmt.Sprintf(` ORDER BY id LIMIT %d`, limit+1), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("list %s: %w", table, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list %s: %w", table, err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = idOf(out[limit-1])
	}
	return out, next, nil
}
