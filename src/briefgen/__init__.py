"""briefgen: YAML brief specifications in, one-page advocacy briefs (PDF and DOCX) out.

Pipeline: spec.yaml --load--> YamlDocument --validate--> BriefSpec --resolve--> BriefView
--compose(template)--> Document --render--> PDF + DOCX bytes --write (atomic)--> out/
"""

__version__ = "0.1.0"
