--[[
convatlas.lua — a Pandoc filter drawing ```arch blocks with the convatlas binary.

  pandoc notes.md --lua-filter convatlas.lua -o notes.html     (SVG inline in the page)
  pandoc notes.md --lua-filter convatlas.lua -o notes.pdf      (SVG files, as images)

Blocks: ```{.arch #resnet50 stage=conv3_x}, or ```arch with the id in the body
(resnet50 stage=conv3_x) or a definition; Pandoc's Markdown does not read
```arch resnet50 … as a code block, and -f gfm drops the words after "arch".
For HTML, EPUB and reveal.js the SVG is written inline (theme=auto by default: it
follows the reader's colour scheme). For every other format (LaTeX, PDF, DOCX) each
diagram is written to a file in the folder named by the metadata field
convatlas-figures (default convatlas-figures/) and included as an image; Pandoc
turns an SVG into PDF with rsvg-convert (Debian's librsvg2-bin) when it makes a PDF.
The binary is found on PATH, or named by the CONVATLAS environment variable.
]]

local binary = os.getenv("CONVATLAS") or "convatlas"
local figures = "convatlas-figures"
local langs = { arch = true, ["arch-table"] = true, ["arch-compare"] = true }

local function inline_html()
  return FORMAT:match("^html") or FORMAT:match("^epub") or FORMAT == "revealjs"
    or FORMAT == "slidy" or FORMAT == "s5" or FORMAT == "dzslides" or FORMAT == "slideous"
end

-- The block's language: -f gfm keeps "{.arch" as the class of ```{.arch …}.
local function lang_of(block)
  for _, c in ipairs(block.classes) do
    local name = c:gsub("^{?%.?", "")
    if langs[name] then
      return name
    end
  end
end

-- info rebuilds the block's info string in the attribute form convatlas reads.
local function info(block, lang)
  local words = { "." .. lang }
  if block.identifier ~= "" then
    table.insert(words, "#" .. block.identifier)
  end
  local has_theme = false
  for k, v in pairs(block.attributes) do
    table.insert(words, k .. '="' .. v .. '"')
    has_theme = has_theme or k == "theme"
  end
  if not inline_html() and not has_theme then
    table.insert(words, 'theme="light"') -- paper has no colour scheme to follow
  end
  return "{" .. table.concat(words, " ") .. "}"
end

local function failure(message)
  local text = "This diagram could not be drawn: " .. message:gsub("%s+$", "")
  if inline_html() then
    return pandoc.RawBlock("html", '<div class="arch-error" role="alert">' ..
      text:gsub("&", "&amp;"):gsub("<", "&lt;") .. "</div>")
  end
  return pandoc.Para({ pandoc.Strong({ pandoc.Str(text) }) })
end

local count = 0

function CodeBlock(block)
  local lang = lang_of(block)
  if not lang then
    return nil
  end
  local ok, out = pcall(pandoc.pipe, binary, { "fence", "--error-svg", info(block, lang) }, block.text)
  if not ok then
    local message = tostring(out)
    if message:match("does not exist") or message:match("createProcess") then
      message = binary .. " was not found: put the convatlas binary on PATH, or name it in CONVATLAS"
    end
    io.stderr:write("convatlas.lua: " .. message .. "\n")
    return failure(message)
  end
  if inline_html() then
    return pandoc.RawBlock("html", '<figure class="arch-figure">' .. out .. "</figure>")
  end
  if lang == "arch-table" then
    return failure("arch-table blocks are drawn in HTML output only")
  end
  count = count + 1
  os.execute('mkdir -p "' .. figures .. '"')
  local name = string.format("%s/arch-%d.svg", figures, count)
  local f = assert(io.open(name, "w"))
  f:write(out)
  f:close()
  local title = out:match("<title[^>]*>([^<]*)</title>") or "diagram"
  return pandoc.Para({ pandoc.Image({ pandoc.Str(title) }, name, title) })
end

function Meta(meta)
  if meta["convatlas-figures"] then
    figures = pandoc.utils.stringify(meta["convatlas-figures"])
  end
end

-- A block that cannot be drawn comes back as an SVG saying why (--error-svg: pandoc.pipe
-- keeps only standard output), the reason also written on standard error.

-- Meta first, so that the figures' folder is known before the blocks are drawn.
return { { Meta = Meta }, { CodeBlock = CodeBlock } }
