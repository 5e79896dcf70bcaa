"""The site's inline style sheet and script (every page carries both: no file to fetch)."""

CSS = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:auto;padding:0 1em;color:#222}
h1,h2,h3,p,li,dt,dd,figcaption{overflow-wrap:anywhere}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}
td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}
td.text,th.text{text-align:left}th{background:#f4f4f4}caption{text-align:left;font-weight:600;padding:4px 0}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:inherit}
th button:focus-visible,summary:focus-visible,a:focus-visible{outline:2px solid #1f5fbf;outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
abbr[title]{text-decoration:underline dotted;cursor:help}
ul.legend{list-style:none;padding:0;columns:2}small{color:#666}.baseline{color:#b03030}.note{color:#666;font-size:0.9em}
.flag{color:#8a4b00;display:block}.partial{color:#8a4b00;font-weight:600}
.scroll{overflow-x:auto;max-width:100%}details summary{cursor:pointer}details.run{min-width:8em}
form.filters{display:flex;flex-wrap:wrap;gap:0.5em 1em;align-items:end;margin:1em 0;padding:0.5em;background:#f7f7f7}
form.filters label{display:flex;flex-direction:column;font-size:0.85em}
nav.links a{margin-right:1em}dl.glossary dt{font-weight:600;margin-top:0.5em}dl.glossary dd{margin-left:1em}
figure.world-map{margin:0;max-width:100%}.map-note{color:#666;font-size:0.9em}svg{max-width:100%;height:auto}
table.options{font-size:0.85em}article.question{border-top:1px solid #ddd;padding:0.3em 0}"""

# Sorting: a header's button sorts its table by that column (the header's data-column; numbers
# by a cell's data-value, else its text) numerically before text, text in natural order; again
# reverses. Buttons take Enter and Space. Filtering: the index's form hides the rows (data-model,
# data-family, data-run, data-search) that do not match, the columns and sections of other
# families and the runs of the other kind, and says how many rows are shown.
SCRIPT = """document.querySelectorAll("table.sortable th[data-column] button").forEach(function(button){
button.addEventListener("click",function(){
var th=button.closest("th"),table=th.closest("table"),body=table.tBodies[0],i=+th.getAttribute("data-column");
var asc=th.getAttribute("aria-sort")!=="ascending";
table.querySelectorAll("th[aria-sort]").forEach(function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");
function key(r){var c=r.children[i];if(!c)return "";var v=c.getAttribute("data-value");
return v===null?c.textContent.trim():v;}
function num(v){return v!==""&&isFinite(v)?parseFloat(v):null;}
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a),y=key(b),nx=num(x),ny=num(y),r;
if(nx!==null&&ny!==null)r=nx-ny;else if(nx!==null)r=-1;else if(ny!==null)r=1;
else r=x.localeCompare(y,undefined,{numeric:true});
return asc?r:-r;});
rows.forEach(function(r){body.appendChild(r);});});});
(function(){var form=document.getElementById("filters");if(!form)return;
var text=form.querySelector("[name=text]"),family=form.querySelector("[name=family]"),run=form.querySelector("[name=run]");
var count=form.querySelector("output");
function apply(){var q=text.value.trim().toLowerCase(),f=family.value,r=run.value,shown=0;
document.querySelectorAll("tr[data-model]").forEach(function(tr){
var fams=tr.getAttribute("data-family").split(" ");
var ok=(!q||tr.getAttribute("data-search").indexOf(q)>=0)&&(!f||fams.indexOf(f)>=0)&&(!r||tr.getAttribute("data-run")===r);
tr.hidden=!ok;if(ok)shown++;});
document.querySelectorAll("[data-family-column]").forEach(function(c){c.hidden=!!f&&c.getAttribute("data-family-column")!==f;});
document.querySelectorAll("section[data-family]").forEach(function(s){s.hidden=!!f&&s.getAttribute("data-family")!==f;});
document.querySelectorAll("[data-runs]").forEach(function(s){s.hidden=!!r&&s.getAttribute("data-runs")!==r;});
count.textContent=shown+(shown===1?" row":" rows")+" shown";}
form.addEventListener("input",apply);form.addEventListener("change",apply);
form.addEventListener("submit",function(e){e.preventDefault();});apply();})();"""
