package selector

import (
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Parse compiles a selector written in the label selector string syntax, exactly as labels.Parse
// does: it accepts the same strings, rejects the same strings with the same error text, and the
// result matches the same label sets and prints the same String.
//
// The grammar (see doc.go for the full rule list):
//
//	selector    := "" | requirement ("," requirement)*
//	requirement := KEY | "!" KEY
//	             | KEY ("=" | "==" | "!=" | ">" | "<") [VALUE]
//	             | KEY ("in" | "notin") "(" [VALUE] ("," [VALUE])* ")"
//
// Spaces, tabs, carriage returns and newlines separate tokens; "in" and "notin" are keywords only
// where an operator is expected; a missing value means the empty string; set values are
// de-duplicated and sorted; gt/lt thresholds must be base-10 integers that are also valid label
// values (so no sign). Keys and values are validated like labels.NewRequirement does. A NUL byte
// behaves as it does in upstream's byte lexer: between tokens it ends the input, inside a token it
// ends the token and is skipped.
func Parse(s string) (Selector, error) {
	p := parser{toks: lex(s)}
	reqs, err := p.parse()
	if err != nil {
		return Selector{}, err
	}
	sort.Sort(byKey(reqs))
	return Selector{reqs: reqs, selectable: true}, nil
}

type tokenKind uint8

const (
	tokEnd tokenKind = iota + 1
	tokCloseParen
	tokComma
	tokBang
	tokDoubleEquals
	tokEquals
	tokGreater
	tokIdent
	tokIn
	tokLess
	tokNotEquals
	tokNotIn
	tokOpenParen
)

type token struct {
	kind tokenKind
	text string // the source text of the token; "" for tokEnd
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isSymbol(c byte) bool {
	switch c {
	case '=', '!', '(', ')', ',', '>', '<':
		return true
	}
	return false
}

// lex splits s into tokens, ending with a tokEnd. It follows upstream's byte lexer
// (labels.Lexer) including its treatment of NUL, which it reads as "end of input": a NUL found
// where a token should start ends the token stream, a NUL right after an identifier or symbol is
// consumed as its terminator.
func lex(s string) []token {
	var toks []token
	i := 0
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] == 0 {
			return append(toks, token{kind: tokEnd})
		}
		start := i
		var t token
		if isSymbol(s[i]) {
			i++
			if (s[start] == '=' || s[start] == '!') && i < len(s) && s[i] == '=' {
				i++
			}
			t = token{kind: symbolKind(s[start:i]), text: s[start:i]}
		} else {
			for i < len(s) && s[i] != 0 && !isSymbol(s[i]) && !isSpace(s[i]) {
				i++
			}
			t = token{kind: tokIdent, text: s[start:i]}
			switch t.text {
			case "in":
				t.kind = tokIn
			case "notin":
				t.kind = tokNotIn
			}
		}
		if i < len(s) && s[i] == 0 {
			i++ // upstream reads the NUL as its end-of-token marker and does not give it back
		}
		toks = append(toks, t)
	}
}

func symbolKind(sym string) tokenKind {
	switch sym {
	case ")":
		return tokCloseParen
	case ",":
		return tokComma
	case "!":
		return tokBang
	case "==":
		return tokDoubleEquals
	case "=":
		return tokEquals
	case ">":
		return tokGreater
	case "<":
		return tokLess
	case "!=":
		return tokNotEquals
	default: // "("
		return tokOpenParen
	}
}

type parser struct {
	toks []token
	pos  int
}

// peek returns the current token without consuming it. Everywhere but in operator position
// (nextOp), "in" and "notin" are plain identifiers, as in upstream, so they work as keys and values.
func (p *parser) peek() token {
	t := p.toks[p.pos]
	if t.kind == tokIn || t.kind == tokNotIn {
		t.kind = tokIdent
	}
	return t
}

// next consumes the current token, seen as peek sees it. The final tokEnd is never consumed, so
// the parser cannot run past the end.
func (p *parser) next() token {
	t := p.peek()
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

// nextOp consumes the current token in operator position, where "in" and "notin" are keywords.
func (p *parser) nextOp() token {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

func (p *parser) parse() ([]requirement, error) {
	var reqs []requirement
	for {
		switch t := p.peek(); t.kind {
		case tokIdent, tokBang:
			r, err := p.requirement()
			if err != nil {
				return nil, fmt.Errorf("unable to parse requirement: %v", err)
			}
			reqs = append(reqs, r)
			switch t := p.next(); t.kind {
			case tokEnd:
				return reqs, nil
			case tokComma:
				if t2 := p.peek(); t2.kind != tokIdent && t2.kind != tokBang {
					return nil, fmt.Errorf("found '%s', expected: identifier after ','", t2.text)
				}
			default:
				return nil, fmt.Errorf("found '%s', expected: ',' or 'end of string'", t.text)
			}
		case tokEnd:
			return reqs, nil
		default:
			return nil, fmt.Errorf("found '%s', expected: !, identifier, or 'end of string'", t.text)
		}
	}
}

func (p *parser) requirement() (requirement, error) {
	negated := false
	t := p.next()
	if t.kind == tokBang {
		negated = true
		t = p.next()
	}
	if t.kind != tokIdent {
		return requirement{}, fmt.Errorf("found '%s', expected: identifier", t.text)
	}
	key := t.text
	if err := keyError(key, nil); err != nil {
		return requirement{}, err
	}
	if negated {
		// "!key" takes no operator; whatever follows is left to the caller, which rejects it
		// unless it is "," or the end.
		return finish(newRequirement(key, opDoesNotExist, []string{}, nil))
	}
	if k := p.peek().kind; k == tokEnd || k == tokComma {
		return finish(newRequirement(key, opExists, []string{}, nil))
	}
	var op operator
	switch t := p.nextOp(); t.kind {
	case tokIn:
		op = opIn
	case tokNotIn:
		op = opNotIn
	case tokEquals:
		op = opEquals
	case tokDoubleEquals:
		op = opDoubleEquals
	case tokNotEquals:
		op = opNotEquals
	case tokGreater:
		op = opGreaterThan
	case tokLess:
		op = opLessThan
	default:
		return requirement{}, fmt.Errorf("found '%s', expected: in, notin, =, ==, !=, gt, lt", t.text)
	}
	var values []string
	var err error
	if op == opIn || op == opNotIn {
		values, err = p.valueSet()
	} else {
		values, err = p.exactValue()
	}
	if err != nil {
		return requirement{}, err
	}
	return finish(newRequirement(key, op, values, nil))
}

// finish turns a requirement's validation errors into the single error labels.Parse reports.
func finish(r requirement, errs field.ErrorList) (requirement, error) {
	if len(errs) != 0 {
		return requirement{}, errs.ToAggregate()
	}
	return r, nil
}

// valueSet parses "(" values ")" and returns the values de-duplicated and sorted.
func (p *parser) valueSet() ([]string, error) {
	if t := p.next(); t.kind != tokOpenParen {
		return nil, fmt.Errorf("found '%s' expected: '('", t.text)
	}
	switch t := p.peek(); t.kind {
	case tokCloseParen: // "()" is the set holding the empty string
		p.next()
		return []string{""}, nil
	case tokIdent, tokComma:
		return p.valueList()
	default:
		return nil, fmt.Errorf("found '%s', expected: ',', ')' or identifier", t.text)
	}
}

// valueList parses a comma separated list in which an empty slot stands for the empty string,
// through the closing parenthesis.
func (p *parser) valueList() ([]string, error) {
	var vals []string
	for {
		switch t := p.next(); t.kind {
		case tokIdent:
			vals = append(vals, t.text)
			switch t2 := p.peek(); t2.kind {
			case tokComma:
			case tokCloseParen:
				p.next()
				return sortedSet(vals), nil
			default:
				return nil, fmt.Errorf("found '%s', expected: ',' or ')'", t2.text)
			}
		case tokComma:
			k := p.peek().kind
			if len(vals) == 0 || k == tokCloseParen || k == tokComma {
				vals = append(vals, "") // a slot before or after this comma is empty
			}
			if k == tokCloseParen {
				p.next()
				return sortedSet(vals), nil
			}
		default:
			return nil, fmt.Errorf("found '%s', expected: ',', or identifier", t.text)
		}
	}
}

func (p *parser) exactValue() ([]string, error) {
	if k := p.peek().kind; k == tokEnd || k == tokComma {
		return []string{""}, nil
	}
	t := p.next()
	if t.kind != tokIdent {
		return nil, fmt.Errorf("found '%s', expected: identifier", t.text)
	}
	return []string{t.text}, nil
}

func sortedSet(vals []string) []string {
	sort.Strings(vals)
	out := vals[:1]
	for _, v := range vals[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
