package schema

// Trigger is a trigger on a table: an ordinary trigger or a constraint trigger.
type Trigger struct {
	Name string `json:"name"`
	// Def is the CREATE [CONSTRAINT] TRIGGER statement as the engine prints it under an empty
	// search_path: timing, events with the UPDATE OF column list, the FROM table,
	// deferrability, row or statement level, the WHEN condition, the function and its
	// arguments. It says everything but the firing state and the comment.
	Def        string `json:"def"`
	Constraint bool   `json:"constraint,omitempty"`
	// Enabled is when the trigger fires: empty for the default (origin and local sessions),
	// "disabled", "replica" or "always" (ALTER TABLE … ENABLE REPLICA / ALWAYS TRIGGER).
	Enabled string `json:"enabled,omitempty"`
	Comment string `json:"comment,omitempty"`
	// DependsOn lists what the trigger uses, as references (see Ref): its function, the
	// columns of its UPDATE OF list and WHEN condition, the table of a constraint trigger's
	// FROM clause. It follows from Def and is not part of a fingerprint.
	DependsOn []string `json:"depends_on,omitempty"`
}

// Policy is a row-level security policy on a table.
type Policy struct {
	Name        string `json:"name"`
	Restrictive bool   `json:"restrictive,omitempty"` // AS RESTRICTIVE, else permissive
	Command     string `json:"command"`               // all, select, insert, update or delete
	// Roles are the roles the policy applies to, sorted; "public" stands for PUBLIC. Roles
	// are not part of the schema: they must exist wherever the policy is created.
	Roles []string `json:"roles"`
	Using string   `json:"using,omitempty"` // USING expression as the engine prints it
	Check string   `json:"check,omitempty"` // WITH CHECK expression
	// Comment is the policy's comment.
	Comment string `json:"comment,omitempty"`
	// DependsOn lists what the expressions use, as references (see Ref); not part of a
	// fingerprint.
	DependsOn []string `json:"depends_on,omitempty"`
}

// EventTrigger is a database-wide trigger on DDL events.
type EventTrigger struct {
	Name  string   `json:"name"`
	Event string   `json:"event"`          // ddl_command_start, ddl_command_end, sql_drop, table_rewrite
	Tags  []string `json:"tags,omitempty"` // WHEN TAG IN (…), sorted; empty for every command
	// FunctionSchema and FunctionName name the function it executes (it takes no arguments).
	FunctionSchema string `json:"function_schema"`
	FunctionName   string `json:"function_name"`
	Enabled        string `json:"enabled,omitempty"` // as Trigger.Enabled
	Comment        string `json:"comment,omitempty"`
}

// TriggerRef is the reference to trigger tr on table t.
func TriggerRef(t *Table, tr *Trigger) string { return Ref(RefKindTrigger, t.Schema, t.Name, tr.Name) }

// PolicyRef is the reference to policy p on table t.
func PolicyRef(t *Table, p *Policy) string { return Ref(RefKindPolicy, t.Schema, t.Name, p.Name) }

// FunctionRef is the reference to the function event trigger e executes.
func (e *EventTrigger) FunctionRef() string {
	return Ref(RefKindFunction, e.FunctionSchema, e.FunctionName+"()")
}

// Trigger returns the trigger called name, or nil.
func (t *Table) Trigger(name string) *Trigger {
	for _, tr := range t.Triggers {
		if tr.Name == name {
			return tr
		}
	}
	return nil
}

// Policy returns the policy called name, or nil.
func (t *Table) Policy(name string) *Policy {
	for _, p := range t.Policies {
		if p.Name == name {
			return p
		}
	}
	return nil
}
