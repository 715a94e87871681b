-- A mix of what readers ask the atlas for: pages, htmx fragments, embeds and the API.
local requests = {
  {"GET", "/", nil, nil},
  {"GET", "/a/resnet50", nil, nil},
  {"GET", "/a/googlenet?expand=all", nil, nil},
  {"GET", "/a/resnet152/layer/conv4_x.20.conv2", {["HX-Request"] = "true"}, nil},
  {"GET", "/a/alexnet/layer/conv1", {["HX-Request"] = "true"}, nil},
  {"GET", "/a/resnet50/diagram?expand=conv3_x", {["HX-Request"] = "true"}, nil},
  {"GET", "/embed/resnet50.svg", nil, nil},
  {"GET", "/embed/densenet121.svg?dir=lr", nil, nil},
  {"GET", "/compare?ids=vgg16,googlenet,resnet50", nil, nil},
  {"GET", "/concepts/inception", nil, nil},
  {"GET", "/api/archs/vgg16", nil, nil},
  {"POST", "/api/analyze", {["Content-Type"] = "application/yaml"},
   "id: net\ninput: {c: 3, h: 64, w: 64}\nlayers: [{repeat: 20, layers: [{conv: {out: 32, k: 3, p: 1}}, bn, relu]}, gap, {fc: 10}]\n"},
}
local i = 0
request = function()
  i = i + 1
  local r = requests[(i % #requests) + 1]
  local headers = r[3] or {}
  headers["Accept-Encoding"] = "gzip"
  return wrk.format(r[1], r[2], headers, r[4])
end
