package markdown

import (
	"bytes"
	"fmt"
	"strings"
)

// Fence is what an arch block asks for, read from whichever of the forms the tools
// teachers write with keep intact:
//
//	```arch resnet50 stage=conv3_x          the info string (goldmark, GitHub, mdBook)
//	```{.arch #resnet50 stage=conv3_x}      attributes (Pandoc, MkDocs superfences)
//	```arch {#resnet50 stage="conv3_x"}     a language, then attributes (Hugo)
//	```arch                                 the id and options in the body, for tools
//	resnet50 stage=conv3_x                  that drop the info string's other words
//	```
//
// A body of one line of words without a colon names the network; any other body is a
// YAML definition.
type Fence struct {
	Lang string            // arch, arch-table or arch-compare
	Args []string          // positional words: network ids
	Opts map[string]string // key=value words
	Body []byte            // the definition, when the block holds one
}

// archLangs are the block languages this package draws.
var archLangs = map[string]bool{"arch": true, "arch-table": true, "arch-compare": true}

// ParseFence reads an arch block's info string and body. ok is false when the block
// is not an arch block (another language); err names what is wrong with one that is.
func ParseFence(info string, body []byte) (f Fence, ok bool, err error) {
	words, err := infoWords(info)
	if err != nil {
		// Only an arch block's malformed attributes are its error; another language's
		// info string is not ours to judge.
		if !strings.Contains(info, "arch") {
			return f, false, nil
		}
		return Fence{Lang: "arch"}, true, err
	}
	f.Opts = map[string]string{}
	for _, w := range words {
		switch {
		case f.Lang == "" && archLangs[strings.TrimPrefix(w, ".")]:
			f.Lang = strings.TrimPrefix(w, ".")
		case strings.HasPrefix(w, "."):
			// Another class (Pandoc's {.arch .wide}): the page's business, not the diagram's.
		case strings.HasPrefix(w, "#"):
			f.Args = append(f.Args, w[1:])
		case strings.Contains(w, "="):
			k, v, _ := strings.Cut(w, "=")
			if k == "id" { // {id="resnet50"}, Hugo's spelling of #resnet50
				f.Args = append(f.Args, v)
				continue
			}
			f.Opts[k] = v
		case f.Lang == "":
			return f, false, nil // the first word is another language
		default:
			f.Args = append(f.Args, w)
		}
	}
	if f.Lang == "" {
		return f, false, nil
	}
	if line, single := oneLine(body); single && len(f.Args) == 0 && !strings.Contains(line, ":") {
		for _, w := range strings.Fields(line) {
			if k, v, isOpt := strings.Cut(w, "="); isOpt {
				f.Opts[k] = strings.Trim(v, `"'`)
			} else {
				f.Args = append(f.Args, w)
			}
		}
		return f, true, nil
	}
	if len(bytes.TrimSpace(body)) > 0 {
		f.Body = body
	}
	return f, true, nil
}

// oneLine reports whether body holds exactly one non-blank line, and returns it.
func oneLine(body []byte) (string, bool) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 || bytes.ContainsAny(t, "\n\r") || t[0] == '#' {
		return "", false
	}
	return string(t), true
}

// infoWords splits an info string into words, opening {…} attribute groups and
// unquoting "…" and '…' values: `{.arch #resnet50 stage="conv3 x"}` gives .arch,
// #resnet50, stage=conv3 x.
func infoWords(info string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord, braces := false, 0
	flush := func() {
		if inWord {
			words = append(words, word.String())
		}
		word.Reset()
		inWord = false
	}
	for i := 0; i < len(info); i++ {
		c := info[i]
		switch {
		case c == '{':
			flush()
			braces++
		case c == '}':
			flush()
			if braces--; braces < 0 {
				return nil, fmt.Errorf("a } without its { in %q", info)
			}
		case c == ' ' || c == '\t' || c == ',' && braces > 0:
			flush()
		case c == '"' || c == '\'':
			end := strings.IndexByte(info[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("an unclosed %c in %q", c, info)
			}
			word.WriteString(info[i+1 : i+1+end])
			inWord = true
			i += end + 1
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	flush()
	if braces != 0 {
		return nil, fmt.Errorf("a { without its } in %q", info)
	}
	return words, nil
}
