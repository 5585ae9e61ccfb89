# asa2render's {% asa2 %} tag for Jekyll, written by `asa2render init jekyll`.
#
#   {% asa2 "B0DEMO0001" %}   {% asa2 "B0DEMO0001" "us" "compact" %}   {% asa2 asin="B0DEMO0001" country="us" %}
#
# It renders _includes/asa2.html with the same arguments, so both forms give the same markup. Sites
# built where plugins are not allowed (GitHub Pages' safe mode) use the include directly.
module Asa2Render
  class Tag < Liquid::Tag
    ARGUMENT = /(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*'([^']*)'|"([^"]*)"|'([^']*)'/

    def initialize(tag_name, markup, tokens)
      super
      named = {}
      positional = []
      markup.scan(ARGUMENT) do |name1, value1, name2, value2, plain1, plain2|
        if name1 then named[name1] = value1
        elsif name2 then named[name2] = value2
        else positional << (plain1 || plain2)
        end
      end
      %w[asin country tpl].each { |key| named[key] ||= positional.shift }
      arguments = named.compact.map { |key, value| %(#{key}="#{value.delete('"{}%')}") }.join(" ")
      @include = Liquid::Template.parse("{% include asa2.html #{arguments} %}")
    end

    def render(context)
      @include.render!(context)
    end
  end
end

Liquid::Template.register_tag("asa2", Asa2Render::Tag)
