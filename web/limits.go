package web

import (
	"convatlas/archdefs"
	"convatlas/engine"
)

// The limits of the web server, in one place, each with its reason and the
// catalogue's own maximum beside it. Every one bounds the work or the output a request
// can cause, and is checked before that work starts; docs/FORMAT.md lists them.
const (
	// maxDefinitionBody bounds a posted definition (/api/…): 1 MiB, as the loader's
	// archdefs.MaxSourceBytes. The catalogue's largest definition takes 6 KB.
	maxDefinitionBody = archdefs.MaxSourceBytes
	// maxFormBody bounds a posted form (the playground's and the notes editor's
	// previews) before it is decoded: percent-encoding turns a byte of text into up to
	// three, so that the limits below apply to the decoded text.
	maxFormBody = 3*archdefs.MaxSourceBytes + 4<<10
	// maxNotesQuery bounds notes carried in a link (/notes?src=), decoded: a link is a
	// few KB; URLs are bounded at 64 KB by the server's header limit anyway.
	maxNotesQuery = 16 << 10
	// maxAnswerBytes bounds any rendered answer. The catalogue's largest page is the
	// layer table of ResNet-1202 (3.3 MB); its drawing with every stage expanded
	// takes 1.9 MB, its JSON report 2.1 MB.
	maxAnswerBytes = 32 << 20
	// maxPooledBuffer is the largest render buffer kept for reuse: one larger than
	// the catalogue's pages is dropped after its answer, so that a rare large answer
	// does not stay resident in the pool.
	maxPooledBuffer = 4 << 20
	// maxCacheBytes bounds the rendered embeds kept in memory, with their gzipped
	// form: every catalogue network's default embed takes 1.7 MB together; the largest
	// single one, ResNet-1202 expanded, 1.5 MB plain.
	maxCacheBytes = 64 << 20
	// maxNotesLayers bounds the layers the arch blocks of one notes document draw
	// together (a box or a table row each): five times ResNet-1202's 4,208, whose
	// table alone is 3.3 MB. markdown.MaxArchBlocks bounds the blocks themselves.
	maxNotesLayers = 20_000
)

// MemoryLimit is the soft limit on the server's heap that `convatlas serve` sets
// (debug.SetMemoryLimit): the collector runs more often as the heap nears it, so that
// resident memory levels off under load instead of following the collector's
// default goal of twice the live heap. The live heap stays well below it: the
// catalogue (the server starts at 27 MB resident) and workers() requests, of at most
// 65 MB each in the hostile suite (docs/PERFORMANCE.md).
const MemoryLimit = 1 << 30

// playgroundLimits bound what anyone may ask the server to analyse and draw: the
// playground, the API and arch blocks in notes. Each is several times what the
// catalogue needs (TestCatalogueWithinWebLimits logs the maxima).
var playgroundLimits = engine.Limits{
	MaxLayers:   20_000,  // the catalogue's most: 4,208 (ResNet-1202)
	MaxNesting:  48,      // the catalogue nests 7 deep
	MaxChannels: 1 << 16, // the catalogue's widest tensor: 2,208 channels (DenseNet-161)
	MaxSpatial:  4096,    // the catalogue's largest input: 299 × 299 (Inception v3)
	MaxFeatures: 1 << 20,
	// Inputs read by all layers: the catalogue's most is 4,808 (ResNet-1202). A dense
	// block of n layers reads about n²/2, though MaxMergeInputs binds it first.
	MaxEdges: 40_000,
	// Paths of one branch: the catalogue's most is 4 (Inception).
	MaxPaths: 32,
	// Tensors one merge reads: the catalogue's most is 49 (DenseNet-201's third block
	// of 48 layers; DenseNet-161's largest has 36).
	MaxMergeInputs: 128,
	// All layer names together: the catalogue's most is 61 KB (ResNet-1202).
	MaxNameBytes: 2 << 20,
}

// notesLimits bound the networks defined inside notes, which anyone can write.
var notesLimits = playgroundLimits

// teacherLimits bound a teacher's own definitions: served to everyone like the
// catalogue, and a file can be a mistake too.
var teacherLimits = playgroundLimits
