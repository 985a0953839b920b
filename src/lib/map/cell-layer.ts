/**
 * WebGL layer for the population cells: one triangle mesh per region (built in the worker, transferred), one colour per
 * cell expanded to its vertices. Recolouring 100k cells is one buffer upload, with no tiling (a 100k-polygon GeoJSON
 * source took MapLibre seconds to tile and seconds more to apply feature-state).
 * Mercator projection only (the map is never switched to globe).
 */
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from 'maplibre-gl';
import type { CellMesh } from '../workers/cell-mesh';

const VERTEX = `#version 300 es
in vec2 a_pos;
in vec4 a_color;
uniform mat4 u_matrix;
out vec4 v_color;
void main() {
	gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
	v_color = a_color;
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
in vec4 v_color;
out vec4 fragColor;
void main() {
	fragColor = v_color;
}`;

function compile(gl: WebGL2RenderingContext, type: number, src: string): WebGLShader {
	const s = gl.createShader(type)!;
	gl.shaderSource(s, src);
	gl.compileShader(s);
	if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`cell layer shader: ${gl.getShaderInfoLog(s)}`);
	return s;
}

/** m * translate(x, y, 0), computed in float64 so small vertex offsets keep their precision. */
export function translateMatrix(m: ArrayLike<number>, x: number, y: number): Float32Array {
	const out = new Float32Array(16);
	for (let i = 0; i < 16; i++) out[i] = m[i];
	for (let r = 0; r < 4; r++) out[12 + r] = m[r] * x + m[4 + r] * y + m[12 + r];
	return out;
}

export class CellLayer implements CustomLayerInterface {
	readonly id: string;
	readonly type = 'custom' as const;
	readonly renderingMode = '2d' as const;
	private map: MapLibreMap | null = null;
	private gl: WebGL2RenderingContext | null = null;
	private program: WebGLProgram | null = null;
	private vao: WebGLVertexArrayObject | null = null;
	private posBuf: WebGLBuffer | null = null;
	private colBuf: WebGLBuffer | null = null;
	private idxBuf: WebGLBuffer | null = null;
	private uMatrix: WebGLUniformLocation | null = null;
	private mesh: CellMesh | null = null;
	private vertexColours: Uint32Array | null = null;
	private meshDirty = false;
	private coloursDirty = false;
	/** vertex range [from, to) to upload when only some cells changed */
	private dirtyRange: [number, number] | null = null;
	/** called after the first frame drawn with colours (for the "map ready" mark) */
	onColoursDrawn: (() => void) | null = null;

	constructor(id: string) {
		this.id = id;
	}

	setMesh(mesh: CellMesh): void {
		this.mesh = mesh;
		this.vertexColours = new Uint32Array(mesh.vertexStart[mesh.vertexStart.length - 1]);
		this.meshDirty = true;
		this.coloursDirty = true;
		this.map?.triggerRepaint();
	}

	/** One packed premultiplied RGBA (little-endian) per cell; expanded to the cell's vertices. */
	setCellColours(colours: Uint32Array): void {
		const mesh = this.mesh;
		const vc = this.vertexColours;
		if (!mesh || !vc) return;
		const start = mesh.vertexStart;
		const n = Math.min(colours.length, start.length - 1);
		for (let c = 0; c < n; c++) {
			const col = colours[c];
			for (let v = start[c], e = start[c + 1]; v < e; v++) vc[v] = col;
		}
		this.coloursDirty = true;
		this.map?.triggerRepaint();
	}

	/** Colours of some cells only (a scenario edit): uploads just the vertex range they span. */
	setSomeCellColours(cells: ArrayLike<number>, colourOf: (cell: number) => number): void {
		const mesh = this.mesh;
		const vc = this.vertexColours;
		if (!mesh || !vc || cells.length === 0) return;
		const start = mesh.vertexStart;
		let lo = Infinity,
			hi = -1;
		for (let i = 0; i < cells.length; i++) {
			const c = cells[i];
			if (c < 0 || c >= start.length - 1) continue;
			const col = colourOf(c);
			for (let v = start[c], e = start[c + 1]; v < e; v++) vc[v] = col;
			lo = Math.min(lo, start[c]);
			hi = Math.max(hi, start[c + 1]);
		}
		if (hi < 0) return;
		if (!this.coloursDirty) this.dirtyRange = this.dirtyRange ? [Math.min(this.dirtyRange[0], lo), Math.max(this.dirtyRange[1], hi)] : [lo, hi];
		this.map?.triggerRepaint();
	}

	onAdd(map: MapLibreMap, gl: WebGL2RenderingContext): void {
		this.map = map;
		this.gl = gl;
		const p = gl.createProgram()!;
		gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, VERTEX));
		gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
		gl.linkProgram(p);
		if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`cell layer program: ${gl.getProgramInfoLog(p)}`);
		this.program = p;
		this.uMatrix = gl.getUniformLocation(p, 'u_matrix');
		this.posBuf = gl.createBuffer();
		this.colBuf = gl.createBuffer();
		this.idxBuf = gl.createBuffer();
		this.vao = gl.createVertexArray();
		gl.bindVertexArray(this.vao);
		gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuf);
		const aPos = gl.getAttribLocation(p, 'a_pos');
		gl.enableVertexAttribArray(aPos);
		gl.vertexAttribPointer(aPos, 2, gl.FLOAT, false, 0, 0);
		gl.bindBuffer(gl.ARRAY_BUFFER, this.colBuf);
		const aCol = gl.getAttribLocation(p, 'a_color');
		gl.enableVertexAttribArray(aCol);
		gl.vertexAttribPointer(aCol, 4, gl.UNSIGNED_BYTE, true, 0, 0);
		gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.idxBuf);
		gl.bindVertexArray(null);
		this.meshDirty = !!this.mesh;
		this.coloursDirty = !!this.mesh;
	}

	onRemove(_map: MapLibreMap, gl: WebGL2RenderingContext): void {
		gl.deleteBuffer(this.posBuf);
		gl.deleteBuffer(this.colBuf);
		gl.deleteBuffer(this.idxBuf);
		gl.deleteVertexArray(this.vao);
		gl.deleteProgram(this.program);
		this.map = null;
		this.gl = null;
	}

	render(gl: WebGL2RenderingContext, args: CustomRenderMethodInput): void {
		const mesh = this.mesh;
		if (!mesh || !this.program || !this.vao) return;
		gl.bindVertexArray(this.vao);
		if (this.meshDirty) {
			gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuf);
			gl.bufferData(gl.ARRAY_BUFFER, mesh.vertices, gl.STATIC_DRAW);
			gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.idxBuf);
			gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, mesh.indices, gl.STATIC_DRAW);
			gl.bindBuffer(gl.ARRAY_BUFFER, this.colBuf);
			gl.bufferData(gl.ARRAY_BUFFER, this.vertexColours!, gl.DYNAMIC_DRAW);
			this.meshDirty = false;
			this.coloursDirty = false;
		} else if (this.coloursDirty) {
			gl.bindBuffer(gl.ARRAY_BUFFER, this.colBuf);
			gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.vertexColours!);
			this.coloursDirty = false;
		} else if (this.dirtyRange) {
			const [from, to] = this.dirtyRange;
			gl.bindBuffer(gl.ARRAY_BUFFER, this.colBuf);
			gl.bufferSubData(gl.ARRAY_BUFFER, from * 4, this.vertexColours!, from, to - from);
		}
		this.dirtyRange = null;
		gl.useProgram(this.program);
		gl.uniformMatrix4fv(this.uMatrix, false, translateMatrix(args.defaultProjectionData.mainMatrix, mesh.originX, mesh.originY));
		gl.enable(gl.BLEND);
		gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
		gl.drawElements(gl.TRIANGLES, mesh.indices.length, gl.UNSIGNED_INT, 0);
		gl.bindVertexArray(null);
		const cb = this.onColoursDrawn;
		if (cb) {
			this.onColoursDrawn = null;
			cb();
		}
	}
}
